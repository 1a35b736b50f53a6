//! Printing a domain back to canonical Python-literal text.

use std::fmt::{self, Write};

use crate::ast::{Domain, Node};
use crate::py;

impl fmt::Display for Domain {
    /// Canonical Python-literal text: `[('a', '=', 1), '|', ...]`. It parses back to an
    /// equal domain.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_nodes(f, &self.nodes, true)
    }
}

/// Writes one value subtree (`nodes` starts at the value) as Python's `repr()`.
pub(crate) fn write_value(out: &mut impl Write, nodes: &[Node]) -> fmt::Result {
    let end = nodes.first().map_or(0, Node::size).min(nodes.len());
    write_nodes(out, &nodes[..end], false)
}

struct Open {
    end: usize,
    closer: &'static str,
    first: bool,
}

fn write_nodes(out: &mut impl Write, nodes: &[Node], as_list: bool) -> fmt::Result {
    if as_list {
        out.write_char('[')?;
    }
    let mut stack = vec![Open {
        end: nodes.len(),
        closer: if as_list { "]" } else { "" },
        first: true,
    }];
    let mut pos = 0;
    loop {
        while let Some(top) = stack.last() {
            if pos < top.end {
                break;
            }
            out.write_str(top.closer)?;
            stack.pop();
        }
        let Some(top) = stack.last_mut() else {
            return Ok(());
        };
        let Some(node) = nodes.get(pos) else {
            // Only reachable with inconsistent sizes; close what is open.
            for open in stack.iter().rev() {
                out.write_str(open.closer)?;
            }
            return Ok(());
        };
        if !top.first {
            out.write_str(", ")?;
        }
        top.first = false;
        let end = pos + node.size().max(1);
        match node {
            Node::And => out.write_str("'&'")?,
            Node::Or => out.write_str("'|'")?,
            Node::Not => out.write_str("'!'")?,
            Node::True => out.write_str("(1, '=', 1)")?,
            Node::False => out.write_str("(0, '=', 1)")?,
            Node::Cond { head, .. } => {
                out.write_char('(')?;
                py::write_str_repr(out, &head.path)?;
                out.write_str(", ")?;
                py::write_str_repr(out, head.op.as_str())?;
                stack.push(Open {
                    end,
                    closer: ")",
                    first: false,
                });
            }
            Node::Str(s) => py::write_str_repr(out, s)?,
            Node::Int(i) => write!(out, "{i}")?,
            Node::Float(f) => py::write_float(out, *f)?,
            Node::Bool(b) => out.write_str(py::bool_str(*b))?,
            Node::None => out.write_str("None")?,
            Node::List { .. } | Node::Sub { .. } => {
                out.write_char('[')?;
                stack.push(Open {
                    end,
                    closer: "]",
                    first: true,
                });
            }
            Node::Tuple { len, .. } => {
                out.write_char('(')?;
                stack.push(Open {
                    end,
                    closer: if *len == 1 { ",)" } else { ")" },
                    first: true,
                });
            }
        }
        pos += 1;
    }
}

#[cfg(test)]
mod tests {
    use crate::parse;

    #[test]
    fn canonical_text() {
        let cases = [
            ("[]", "[]"),
            ("[('a','=',1)]", "[('a', '=', 1)]"),
            (
                "['|', ('a', 'in', (1,)), ('b', 'IN', [])]",
                "['|', ('a', 'in', (1,)), ('b', 'in', [])]",
            ),
            (
                r#"[["name", "=like", "it's"], ["x", "=", null], ["y", "=", 1.0]]"#,
                "[('name', '=like', \"it's\"), ('x', '=', None), ('y', '=', 1.0)]",
            ),
            (
                "[('t', 'any', [('a', '=', ()), '!', (1, '=', 1)])]",
                "[('t', 'any', [('a', '=', ()), '!', (1, '=', 1)])]",
            ),
            ("[('a', '<>', -5)]", "[('a', '<>', -5)]"),
        ];
        for (input, expected) in cases {
            let domain = parse(input).unwrap();
            assert_eq!(domain.to_string(), expected, "{input}");
            assert_eq!(parse(&domain.to_string()).unwrap(), domain, "{input}");
        }
    }

    #[test]
    fn deep_values_print_without_recursion() {
        let depth = 100_000;
        let text = format!("[('a', 'in', {}1{})]", "[".repeat(depth), "]".repeat(depth));
        let domain = crate::ParseOptions::new()
            .with_nest_limit(200_000)
            .parse(&text)
            .unwrap();
        let printed = domain.to_string();
        assert_eq!(printed, text);
        drop(domain);
    }
}
