//! Bayesian probability that each version has the highest true rate.
//!
//! Each version's rate gets a uniform Beta(1, 1) prior, so its posterior after `s` successes in
//! `n` trials is Beta(s + 1, n - s + 1). The probability that version `k` is best is
//! `P_k = ∫ f_k(x) Π_{j≠k} F_j(x) dx` over [0, 1], with `f` the posterior density and `F` its CDF.
//!
//! - **Two versions: closed form.** With integer parameters, `P(X_B > X_A)` is a finite sum
//!   (Evan Miller, "Formulas for Bayesian A/B testing", 2015):
//!   `Σ_{i=0}^{α_B-1} B(α_A+i, β_A+β_B) / ((β_B+i) B(1+i, β_B) B(α_A, β_A))`.
//!   Of the four equivalent sums (over `α_B`, over `α_A` by complement, and over `β_A` or `β_B` by
//!   the symmetry `x -> 1 - x`) the shortest is used, so the cost is `O(min(α, β))` terms. The
//!   terms follow the recurrence `t_{i+1} = t_i (α_A+i)(β_B+i) / ((α_A+β_A+β_B+i)(i+1))` from
//!   `t_0 = B(α_A, β_A+β_B) / B(α_A, β_A)`, carried with a separate exponent so that no term
//!   underflows. Above 2^22 terms the terms (which are unimodal) are summed from the largest one
//!   outwards until they fall below 1e-20 of the sum, which costs O(sqrt(n)).
//! - **Three or more versions: adaptive Gauss–Kronrod quadrature.** The integrals of all versions
//!   are computed together with the 7/15-point Gauss–Kronrod rule, on [0, 1] split first at 1/2
//!   (the upper half is integrated in `y = 1 - x`, so that rates within 1e-16 of 1 stay
//!   representable), at each posterior's mean and at 3, 6, 10 and 20 standard deviations either side of it (so no narrow
//!   peak is missed; a point closer to the previous one than either posterior's standard
//!   deviation is dropped, so that hundreds of overlapping versions share one grid), then by repeatedly halving the interval with the largest error estimate
//!   (`|K15 - G7|`, summed over versions) until the total estimate is below `1e-12` or 2,000
//!   intervals are in use (intervals narrower than 2^16 units in the last place are not split:
//!   there the rounding of the integrand, not the rule, dominates). The Gauss–Kronrod estimate is conservative for these smooth
//!   integrands; the tests check the result against the closed form (two versions) and the
//!   probabilities' sum (1) to 1e-9. The evaluation order is fixed, so the result is
//!   deterministic to the last bit. A posterior is evaluated only within 40 standard
//!   deviations of its mean: outside, its CDF is 0 or 1 and its density 0 to double precision,
//!   so well-separated versions cost next to nothing. At most
//!   [`MAX_VERSIONS`](crate::MAX_VERSIONS) versions are compared.
//!
//! - **Astronomical counts.** When a posterior has `min(α, β) > 1e9` (a billion successes *and* a
//!   billion failures) it is replaced by the normal distribution with the same mean and variance
//!   inside the quadrature, and with two versions the normal approximation is used once all four
//!   parameters exceed 1e11. The skewness of such posteriors is below 7e-5, so the probabilities
//!   stay within about 1e-5 of the exact value while the cost stays bounded.
//!
//! Probabilities are clamped to [0, 1]; a version without trials simply keeps its uniform prior.

use crate::error::Error;
use crate::special::{beta_inc, beta_pdf, ln_beta, normal_cdf};
use crate::stats::Proportion;

/// The Bayesian probability that each version has the highest true rate, with uniform Beta(1, 1)
/// priors (see the [module documentation](self) for the method and its accuracy).
///
/// # Errors
/// [`Error::NoVersions`] for an empty slice, [`Error::TooManyVersions`] for more than
/// [`MAX_VERSIONS`](crate::MAX_VERSIONS).
///
/// ```
/// use smskit_abtest::{probability_best, Proportion};
/// let p = probability_best(&[Proportion::new(10, 100)?, Proportion::new(10, 100)?])?;
/// assert!((p[0] - 0.5).abs() < 1e-12 && (p[1] - 0.5).abs() < 1e-12);
///
/// let p = probability_best(&[
///     Proportion::new(40, 1000)?,
///     Proportion::new(55, 1000)?,
///     Proportion::new(47, 1000)?,
/// ])?;
/// assert!(p[1] > p[2] && p[2] > p[0]);
/// assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
/// # Ok::<(), smskit_abtest::Error>(())
/// ```
pub fn probability_best(versions: &[Proportion]) -> Result<Vec<f64>, Error> {
    if versions.len() > crate::MAX_VERSIONS {
        return Err(Error::TooManyVersions {
            versions: versions.len(),
            max: crate::MAX_VERSIONS,
        });
    }
    match versions {
        [] => Err(Error::NoVersions),
        [_] => Ok(vec![1.0]),
        [a, b] => {
            let b_wins = prob_greater(posterior(*a), posterior(*b));
            Ok(vec![1.0 - b_wins, b_wins])
        }
        _ => Ok(integrate_best(versions)),
    }
}

/// Posterior parameters `(α, β)` under a uniform prior.
fn posterior(p: Proportion) -> (u64, u64) {
    (
        p.successes().saturating_add(1),
        p.failures().saturating_add(1),
    )
}

/// `P(Y > X)` for `X ~ Beta(x)`, `Y ~ Beta(y)` with integer parameters, by the shortest closed-form
/// sum.
fn prob_greater(x: (u64, u64), y: (u64, u64)) -> f64 {
    let (ax, bx) = x;
    let (ay, by) = y;
    let shortest = ax.min(ay).min(bx).min(by);
    if shortest > NORMAL_APPROX_SUM {
        return normal_prob_greater(x, y);
    }
    let p = if shortest == ay {
        miller_sum(ax, bx, ay, by)
    } else if shortest == ax {
        1.0 - miller_sum(ay, by, ax, bx)
    } else if shortest == bx {
        // P(Y > X) = P(1 - X > 1 - Y), with 1 - X ~ Beta(bx, ax) and 1 - Y ~ Beta(by, ay).
        miller_sum(by, ay, bx, ax)
    } else {
        1.0 - miller_sum(bx, ax, by, ay)
    };
    p.clamp(0.0, 1.0)
}

/// Beyond this many terms even the windowed sum is slow (its width grows like the square root of
/// the parameters): every parameter is then so large that the normal approximation is used.
const NORMAL_APPROX_SUM: u64 = 100_000_000_000;

/// `P(Y > X)` with both posteriors replaced by normal distributions of the same mean and variance.
/// Only used when all four parameters exceed 1e11, where the posteriors' skewness is below 1e-5.
fn normal_prob_greater(x: (u64, u64), y: (u64, u64)) -> f64 {
    let (mx, vx) = beta_moments(x.0 as f64, x.1 as f64);
    let (my, vy) = beta_moments(y.0 as f64, y.1 as f64);
    let sd = (vx + vy).sqrt();
    if sd > 0.0 {
        normal_cdf((my - mx) / sd)
    } else {
        0.5
    }
}

/// Mean and variance of Beta(a, b).
fn beta_moments(a: f64, b: f64) -> (f64, f64) {
    let n = a + b;
    (a / n, (a / n) * (b / n) / (n + 1.0))
}

/// Sums with more terms than this start at the largest term and stop once the terms are
/// negligible, instead of adding every term from `i = 0`.
const FULL_SUM_LIMIT: u64 = 1 << 22;

/// `Σ_{i=0}^{ay-1} B(ax+i, bx+by) / ((by+i) B(1+i, by) B(ax, bx))` = `P(Y > X)`.
fn miller_sum(ax: u64, bx: u64, ay: u64, by: u64) -> f64 {
    if ay > FULL_SUM_LIMIT {
        return windowed_miller_sum(ax, bx, ay, by);
    }
    let (axf, bxf, byf) = (ax as f64, bx as f64, by as f64);
    // term = mantissa * exp(exponent); both the term and the running sum share the exponent.
    let mut exponent = ln_beta(axf, bxf + byf) - ln_beta(axf, bxf);
    let mut term = 1.0_f64;
    let mut sum = 0.0_f64;
    let mut i = 0u64;
    while i < ay {
        sum += term;
        term *= miller_ratio(axf, bxf, byf, i as f64);
        if term > 1e250 {
            // Rescale: the sum of probabilities stays <= 1 in absolute terms, but early terms
            // may be far below the representable range.
            let shift = term.ln();
            term = 1.0;
            sum *= (-shift).exp();
            exponent += shift;
        }
        i += 1;
    }
    if sum == 0.0 {
        return 0.0;
    }
    (sum.ln() + exponent).exp()
}

/// `t_{i+1} / t_i` in the Miller sum.
fn miller_ratio(ax: f64, bx: f64, by: f64, i: f64) -> f64 {
    (ax + i) * (by + i) / ((ax + bx + by + i) * (i + 1.0))
}

/// The Miller sum for very large parameters: the terms are unimodal (the ratio of consecutive
/// terms minus one has the sign of `ax·by - (ax+bx+by) - i·(bx+1)`), so the sum starts at the
/// largest term, computed directly from log-beta functions, and walks outwards in both directions
/// until the terms fall below 1e-20 of the sum. Cost O(sqrt(parameters)); the relative accuracy
/// is that of the log-beta functions at these magnitudes (about 1e-16 times `n ln n`).
fn windowed_miller_sum(ax: u64, bx: u64, ay: u64, by: u64) -> f64 {
    let (axf, bxf, ayf, byf) = (ax as f64, bx as f64, ay as f64, by as f64);
    let last = ayf - 1.0;
    let mode = ((axf * byf - (axf + bxf + byf)) / (bxf + 1.0))
        .floor()
        .clamp(0.0, last);
    let ln_term = |i: f64| {
        ln_beta(axf + i, bxf + byf) - (byf + i).ln() - ln_beta(1.0 + i, byf) - ln_beta(axf, bxf)
    };
    let exponent = ln_term(mode);
    let mut sum = 1.0_f64;
    // Rightwards.
    let mut term = 1.0_f64;
    let mut i = mode;
    while i < last {
        term *= miller_ratio(axf, bxf, byf, i);
        i += 1.0;
        sum += term;
        if term < 1e-20 * sum {
            break;
        }
    }
    // Leftwards.
    let mut term = 1.0_f64;
    let mut i = mode;
    while i > 0.0 {
        term /= miller_ratio(axf, bxf, byf, i - 1.0);
        i -= 1.0;
        sum += term;
        if term < 1e-20 * sum {
            break;
        }
    }
    (sum.ln() + exponent).exp()
}

/// Above this value of `min(α, β)` a posterior is replaced by the normal distribution of the same
/// mean and variance inside the quadrature (its skewness is then below 7e-5, and the continued
/// fraction of the incomplete beta function would need tens of thousands of terms per node).
const NORMAL_APPROX_POSTERIOR: f64 = 1e9;

/// Posterior parameters as floats, with the moments the breakpoints (and, when it applies, the
/// normal approximation) need.
#[derive(Debug, Clone, Copy)]
struct Post {
    a: f64,
    b: f64,
    /// Posterior mean in `x`.
    mean_x: f64,
    /// Posterior mean in `y = 1 - x`, computed directly so that it stays exact near `x = 1`.
    mean_y: f64,
    /// Posterior standard deviation.
    sd: f64,
    /// Whether the posterior is replaced by the normal distribution of the same moments.
    normal: bool,
}

impl Post {
    fn new(a: f64, b: f64) -> Self {
        let (mean_x, var) = beta_moments(a, b);
        Self {
            a,
            b,
            mean_x,
            mean_y: b / (a + b),
            sd: var.sqrt(),
            normal: a.min(b) > NORMAL_APPROX_POSTERIOR,
        }
    }

    /// (CDF, density) at the point `t` of the given half (`t = x` below 1/2, `t = y = 1 - x`
    /// above): exactly (0, 0) below the posterior's window and (1, 0) above it, where the true
    /// values differ by less than 1e-17 from those.
    fn eval_at(&self, upper: bool, t: f64) -> (f64, f64) {
        let reach = WINDOW_SDS * self.sd;
        let (below, above) = if upper {
            (t > self.mean_y + reach, t < self.mean_y - reach)
        } else {
            (t < self.mean_x - reach, t > self.mean_x + reach)
        };
        if below {
            (0.0, 0.0)
        } else if above {
            (1.0, 0.0)
        } else if upper {
            self.eval(1.0 - t, t)
        } else {
            self.eval(t, 1.0 - t)
        }
    }

    /// (CDF, density) at the point `x`, given with `y = 1 - x` (the smaller one is exact).
    fn eval(&self, x: f64, y: f64) -> (f64, f64) {
        if self.normal {
            let z = if x <= 0.5 {
                (x - self.mean_x) / self.sd
            } else {
                (self.mean_y - y) / self.sd
            };
            (
                normal_cdf(z),
                (-0.5 * z * z).exp() / (self.sd * (2.0 * std::f64::consts::PI).sqrt()),
            )
        } else {
            (
                beta_inc(self.a, self.b, x, y).0,
                beta_pdf(self.a, self.b, x, y),
            )
        }
    }
}

/// Gauss–Kronrod 15-point nodes (positive half, last is 0) and weights; Gauss 7-point weights.
#[allow(
    clippy::excessive_precision,
    reason = "the QUADPACK constants are transcribed digit for digit"
)]
const XGK: [f64; 8] = [
    0.991455371120812639206854697526329,
    0.949107912342758524526189684047851,
    0.864864423359769072789712788640926,
    0.741531185599394439863864773280788,
    0.586087235467691130294144845693013,
    0.405845151377397166906606412076961,
    0.207784955007898467600689403773245,
    0.000000000000000000000000000000000,
];
#[allow(
    clippy::excessive_precision,
    reason = "the QUADPACK constants are transcribed digit for digit"
)]
const WGK: [f64; 8] = [
    0.022935322010529224963732008058970,
    0.063092092629978553290700663189204,
    0.104790010322250183839876322541518,
    0.140653259715525918745189590510238,
    0.169004726639267902826583426598550,
    0.190350578064785409913256402421014,
    0.204432940075298892414161999234649,
    0.209482141084727828012999174891714,
];
#[allow(
    clippy::excessive_precision,
    reason = "the QUADPACK constants are transcribed digit for digit"
)]
const WG: [f64; 4] = [
    0.129484966168869693270611432679082,
    0.279705391489276667901467771423780,
    0.381830050505118944950369775488975,
    0.417959183673469387755102040816327,
];

/// Half-width, in posterior standard deviations, of the window outside which a posterior's
/// CDF is taken as exactly 0 or 1 and its density as 0. The heaviest tail, that of Beta(1, b),
/// holds about `e^-(1 + 40)` < 2e-18 of the mass beyond it; skipping those evaluations is what
/// keeps hundreds of well-separated versions cheap.
const WINDOW_SDS: f64 = 40.0;

const TOLERANCE: f64 = 1e-12;
const MAX_INTERVALS: usize = 2_000;
const MIN_WIDTH_ULPS: f64 = 65_536.0;

/// One interval's Kronrod estimates (per version) and its error estimate. On the lower half of
/// [0, 1] the interval is in `x`; on the upper half it is in `y = 1 - x`, so that points within
/// 1e-16 of 1 stay representable.
struct Piece {
    upper: bool,
    lo: f64,
    hi: f64,
    values: Vec<f64>,
    error: f64,
}

/// Scratch buffers of one integrand evaluation.
struct Scratch {
    cdf: Vec<f64>,
    pdf: Vec<f64>,
}

/// The integrand for every version at the point `t` of the given half: `f_k(x) Π_{j≠k} F_j(x)`,
/// written into `out`.
fn integrand(posts: &[Post], upper: bool, t: f64, out: &mut [f64], scratch: &mut Scratch) {
    for (j, p) in posts.iter().enumerate() {
        (scratch.cdf[j], scratch.pdf[j]) = p.eval_at(upper, t);
    }
    // Products of the CDFs of all other versions, by prefix and suffix products (no division).
    let mut prefix = 1.0;
    for (o, &c) in out.iter_mut().zip(&scratch.cdf) {
        *o = prefix;
        prefix *= c;
    }
    let mut suffix = 1.0;
    for k in (0..posts.len()).rev() {
        out[k] *= suffix * scratch.pdf[k];
        suffix *= scratch.cdf[k];
    }
}

fn gauss_kronrod(posts: &[Post], upper: bool, lo: f64, hi: f64) -> Piece {
    let k = posts.len();
    let center = 0.5 * (lo + hi);
    let half = 0.5 * (hi - lo);
    let mut kronrod = vec![0.0; k];
    let mut gauss = vec![0.0; k];
    let mut f1 = vec![0.0; k];
    let mut f2 = vec![0.0; k];
    let mut scratch = Scratch {
        cdf: vec![0.0; k],
        pdf: vec![0.0; k],
    };
    integrand(posts, upper, center, &mut f1, &mut scratch);
    for v in 0..k {
        kronrod[v] = WGK[7] * f1[v];
        gauss[v] = WG[3] * f1[v];
    }
    for (node, (&x, &w)) in XGK.iter().zip(&WGK).take(7).enumerate() {
        integrand(posts, upper, center - half * x, &mut f1, &mut scratch);
        integrand(posts, upper, center + half * x, &mut f2, &mut scratch);
        for v in 0..k {
            let pair = f1[v] + f2[v];
            kronrod[v] += w * pair;
            if node % 2 == 1 {
                gauss[v] += WG[node / 2] * pair;
            }
        }
    }
    let mut error = 0.0;
    for v in 0..k {
        kronrod[v] *= half;
        gauss[v] *= half;
        error += (kronrod[v] - gauss[v]).abs();
    }
    Piece {
        upper,
        lo,
        hi,
        values: kronrod,
        error,
    }
}

/// The initial breakpoints of one half, in its own variable (x below 1/2, y = 1 - x above):
/// the ends, and each posterior's mean and 3, 6, 10 and 20 standard deviations either side,
/// thinned where posteriors overlap.
fn breakpoints(posts: &[Post], upper: bool) -> Vec<f64> {
    // The ends carry a zero deviation, so that they are always kept.
    let mut candidates = vec![(0.0, 0.0), (0.5, 0.0)];
    for p in posts {
        for c in [-20.0, -10.0, -6.0, -3.0, 0.0, 3.0, 6.0, 10.0, 20.0] {
            let t = if upper {
                p.mean_y - c * p.sd
            } else {
                p.mean_x + c * p.sd
            };
            if t > 0.0 && t < 0.5 {
                candidates.push((t, p.sd));
            }
        }
    }
    thin(&mut candidates)
}

/// The breakpoints to keep, sorted: a candidate closer to the last kept one than the standard
/// deviation of either posterior adds nothing (the interval between them is narrower than the
/// peak it resolves), so many overlapping posteriors share one grid instead of each bringing
/// nine points; distant or narrow peaks keep theirs.
fn thin(candidates: &mut [(f64, f64)]) -> Vec<f64> {
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(candidates.len());
    for &(point, sd) in candidates.iter() {
        if kept
            .last()
            .is_none_or(|&(last, last_sd)| point - last >= sd.min(last_sd))
        {
            kept.push((point, sd));
        }
    }
    kept.into_iter().map(|(point, _)| point).collect()
}

fn integrate_best(versions: &[Proportion]) -> Vec<f64> {
    let posts: Vec<Post> = versions
        .iter()
        .map(|&p| {
            let (a, b) = posterior(p);
            Post::new(a as f64, b as f64)
        })
        .collect();
    let mut pieces = Vec::new();
    for is_upper in [false, true] {
        let points = breakpoints(&posts, is_upper);
        for w in points.windows(2) {
            if let [lo, hi] = *w
                && hi > lo
            {
                pieces.push(gauss_kronrod(&posts, is_upper, lo, hi));
            }
        }
    }
    loop {
        // Intervals narrower than MIN_WIDTH_ULPS units in the last place are not split: below
        // that the integrand's rounding noise, not the rule, dominates the error estimate.
        let splittable =
            |p: &Piece| p.hi - p.lo > MIN_WIDTH_ULPS * f64::EPSILON * p.hi.abs().max(p.lo.abs());
        let mut total = 0.0;
        let mut worst: Option<usize> = None;
        for (i, p) in pieces.iter().enumerate() {
            if !splittable(p) {
                continue;
            }
            total += p.error;
            // The largest error; the first one on equal errors (deterministic).
            if worst.is_none_or(|w| p.error > pieces[w].error) {
                worst = Some(i);
            }
        }
        let Some(worst) = worst else { break };
        if total <= TOLERANCE || pieces.len() >= MAX_INTERVALS {
            break;
        }
        let Piece { upper, lo, hi, .. } = pieces.swap_remove(worst);
        let mid = 0.5 * (lo + hi);
        pieces.push(gauss_kronrod(&posts, upper, lo, mid));
        pieces.push(gauss_kronrod(&posts, upper, mid, hi));
    }
    // Sum in a fixed order (by half, then position) for reproducible rounding.
    pieces.sort_by(|a, b| a.upper.cmp(&b.upper).then(a.lo.total_cmp(&b.lo)));
    let mut result = vec![0.0; posts.len()];
    for piece in &pieces {
        for (r, v) in result.iter_mut().zip(&piece.values) {
            *r += v;
        }
    }
    for r in &mut result {
        *r = r.clamp(0.0, 1.0);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prop(s: u64, n: u64) -> Proportion {
        Proportion::new(s, n).unwrap()
    }

    /// `P(Y > X)` for normal distributions of the posteriors' means and variances, written out
    /// here so the tests do not lean on `beta_moments`.
    fn normal_reference(x: (u64, u64), y: (u64, u64)) -> f64 {
        let moments = |(a, b): (u64, u64)| {
            let (a, b) = (a as f64, b as f64);
            let n = a + b;
            (a / n, a * b / (n * n * (n + 1.0)))
        };
        let ((mx, vx), (my, vy)) = (moments(x), moments(y));
        normal_cdf((my - mx) / (vx + vy).sqrt())
    }

    #[test]
    fn very_large_posteriors_are_summed_around_their_largest_term() {
        // Every parameter above FULL_SUM_LIMIT: the windowed sum; at these sizes the
        // posteriors are normal to about 1e-4.
        let x = (5_000_001, 15_000_001);
        let y = (5_005_001, 14_995_001);
        assert!(x.0 > FULL_SUM_LIMIT && y.0 > FULL_SUM_LIMIT);
        let p = prob_greater(x, y);
        let reference = normal_reference(x, y);
        assert!((p - reference).abs() < 1e-3, "{p} against {reference}");
        assert!((0.96..0.97).contains(&p), "{p}");
        assert!((1.0 - prob_greater(y, x) - p).abs() < 1e-9);
    }

    #[test]
    fn beyond_1e11_the_normal_approximation_agrees_with_the_sum() {
        let x = (100_000_000_001, 300_000_000_001);
        let y = (100_000_400_001, 299_999_600_001);
        let normal = prob_greater(x, y);
        let summed = windowed_miller_sum(x.0, x.1, y.0, y.1);
        // The sum's own error grows like n ln n times the epsilon (about 1e-3 relative here).
        assert!((normal - summed).abs() < 1e-4, "{normal} against {summed}");
        assert!((normal - normal_reference(x, y)).abs() < 1e-9);
        assert!((0.5..0.99).contains(&normal), "{normal}");
    }

    #[test]
    fn a_hopeless_third_version_leaves_the_two_version_answer() {
        // A wide and a narrow posterior whose means nearly agree, and a version with no
        // conversion at all: the integral over three versions must give the exact two-version
        // answer to the integration's tolerance.
        for (a, b) in [((52, 100), (5_000, 10_000)), ((3, 7), (4_100, 9_000))] {
            let exact = probability_best(&[prop(a.0, a.1), prop(b.0, b.1)]).unwrap();
            let three =
                probability_best(&[prop(a.0, a.1), prop(b.0, b.1), prop(0, 5_000)]).unwrap();
            assert!(three[2] < 1e-12, "{three:?}");
            for (two, three) in exact.iter().zip(&three) {
                assert!((two - three).abs() < 1e-9, "{exact:?} against {three:?}");
            }
        }
    }

    #[test]
    fn a_single_version_is_certainly_the_best() {
        assert_eq!(probability_best(&[prop(3, 10)]).unwrap(), [1.0]);
    }

    #[test]
    fn closed_form_simple_cases() {
        // Uniform vs uniform.
        assert!((prob_greater((1, 1), (1, 1)) - 0.5).abs() < 1e-15);
        // Y ~ Beta(2, 1), X uniform: P(Y > X) = 2/3.
        assert!((prob_greater((1, 1), (2, 1)) - 2.0 / 3.0).abs() < 1e-15);
        assert!((prob_greater((2, 1), (1, 1)) - 1.0 / 3.0).abs() < 1e-15);
        // Every formula variant agrees.
        let x = (13, 40);
        let y = (17, 35);
        let direct = miller_sum(x.0, x.1, y.0, y.1);
        let by_ax = 1.0 - miller_sum(y.0, y.1, x.0, x.1);
        let by_bx = miller_sum(y.1, y.0, x.1, x.0);
        let by_by = 1.0 - miller_sum(x.1, x.0, y.1, y.0);
        for v in [by_ax, by_bx, by_by] {
            assert!((v - direct).abs() < 1e-13, "{v} vs {direct}");
        }
    }

    #[test]
    fn integration_matches_closed_form_for_two_versions() {
        for &(a, b) in &[
            ((0, 0), (0, 0)),
            ((3, 10), (5, 10)),
            ((40, 1000), (55, 1000)),
            ((0, 50), (50, 50)),
            ((500, 100_000), (560, 100_000)),
            ((4_000, 1_000_000), (4_100, 1_000_000)),
            ((1, 2), (7_000, 9_000)),
        ] {
            let versions = [prop(a.0, a.1), prop(b.0, b.1)];
            let closed = probability_best(&versions).unwrap();
            let numeric = integrate_best(&versions);
            for k in 0..2 {
                assert!(
                    (closed[k] - numeric[k]).abs() < 1e-9,
                    "{a:?} {b:?}: {closed:?} vs {numeric:?}"
                );
            }
        }
    }

    #[test]
    fn windowed_sum_matches_full_sum() {
        for &(ax, bx, ay, by) in &[
            (41, 961, 56, 946),
            (5_001, 995_001, 5_201, 994_801),
            (20_001, 80_001, 20_401, 79_601),
            (3, 8, 4, 9),
        ] {
            let full = miller_sum(ax, bx, ay, by);
            let windowed = windowed_miller_sum(ax, bx, ay, by);
            // The windowed start comes from log-beta functions of magnitude ~1e6: ~1e-11.
            assert!((full - windowed).abs() < 1e-10, "{full} vs {windowed}");
        }
    }

    #[test]
    fn astronomically_large_counts_stay_defined_and_fast() {
        let big = u64::MAX / 4;
        let p = probability_best(&[prop(big / 2, big), prop(big / 2 + big / 1000, big)]).unwrap();
        assert!(p.iter().all(|v| (0.0..=1.0).contains(v)), "{p:?}");
        assert!(p[1] > 0.999, "{p:?}");
        let p = probability_best(&[prop(big / 2, big), prop(big / 2, big)]).unwrap();
        assert!((p[0] - 0.5).abs() < 1e-6, "{p:?}");
        let p = probability_best(&[
            prop(7, u64::MAX),
            prop(9, u64::MAX),
            prop(u64::MAX, u64::MAX),
        ])
        .unwrap();
        assert!(p.iter().all(|v| (0.0..=1.0).contains(v)), "{p:?}");
        assert!(p[2] > 0.999, "{p:?}");
    }

    #[test]
    fn huge_counts_do_not_underflow() {
        let p = probability_best(&[prop(50_000, 10_000_000), prop(50_400, 10_000_000)]).unwrap();
        assert!(p[1] > 0.8 && p[1] < 0.99, "{p:?}");
        assert!((p[0] + p[1] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn identical_versions_split_evenly() {
        let v = vec![prop(30, 700); 5];
        for p in probability_best(&v).unwrap() {
            assert!((p - 0.2).abs() < 1e-9, "{p}");
        }
    }

    #[test]
    fn overlapping_posteriors_share_one_grid() {
        // 500 versions between 3% and 6% on 1,000 to 5,000 messages: each used to bring its nine
        // breakpoints (about 4,500 intervals before any refinement, each evaluating all 500
        // posteriors 15 times: 48 s in the CLI).
        let posts: Vec<Post> = (0..500u64)
            .map(|i| {
                let n = 1_000 + (i * 7_919) % 4_001;
                let s = n * 3 / 100 + (i * 104_729) % (n * 3 / 100 + 1);
                let (a, b) = posterior(prop(s, n));
                Post::new(a as f64, b as f64)
            })
            .collect();
        let lower = breakpoints(&posts, false);
        assert!(lower.len() < 150, "{} breakpoints", lower.len());
        assert_eq!((lower[0], lower[lower.len() - 1]), (0.0, 0.5));
        assert!(lower.windows(2).all(|w| w[0] < w[1]));
        // Every mean still has a breakpoint within one of its standard deviations.
        for p in &posts {
            assert!(
                lower.iter().any(|&t| (t - p.mean_x).abs() <= p.sd),
                "{}",
                p.mean_x
            );
        }
        // A narrow peak far from the others keeps its own points.
        let mut with_narrow = posts.clone();
        with_narrow.push(Post::new(300_001.0, 699_999.0));
        let narrow = &with_narrow[500];
        let near = breakpoints(&with_narrow, false)
            .into_iter()
            .filter(|t| (t - narrow.mean_x).abs() <= 21.0 * narrow.sd)
            .count();
        assert_eq!(near, 9);
    }

    #[test]
    fn posteriors_are_exact_outside_their_window() {
        let p = Post::new(41.0, 961.0);
        let reach = WINDOW_SDS * p.sd;
        assert_eq!(p.eval_at(false, p.mean_x + reach * 1.01), (1.0, 0.0));
        assert_eq!(p.eval_at(true, p.mean_y + reach * 1.01), (0.0, 0.0));
        // Just inside, the true values are already 1 and 0 to double precision.
        let (cdf, pdf) = p.eval_at(false, p.mean_x + reach * 0.99);
        assert!(1.0 - cdf < 1e-17 && pdf < 1e-15, "{cdf} {pdf}");
    }

    #[test]
    fn gauss_kronrod_integrates_polynomials_exactly() {
        // With a single uniform posterior the integrand is the density 1: the integral is 1.
        let posts = [Post::new(1.0, 1.0)];
        let piece = gauss_kronrod(&posts, false, 0.0, 1.0);
        assert!((piece.values[0] - 1.0).abs() < 1e-15);
        // Beta(3, 2) density is a cubic polynomial: exact too.
        let posts = [Post::new(3.0, 2.0)];
        let piece = gauss_kronrod(&posts, false, 0.0, 1.0);
        assert!((piece.values[0] - 1.0).abs() < 1e-14);
        assert!(piece.error < 1e-14);
    }
}
