#!/usr/bin/env python3
"""Regenerates the conformance vectors of smskit-abtest from an independent implementation.

The sampling vectors come from a from-scratch Python SipHash-2-4 (checked against the reference
vector of the SipHash paper) and the ranking rules written in the `sample` module docs; the
statistics vectors come from mpmath at 50 significant digits. The Rust crate must reproduce them:
`tests/conformance.rs` reads the JSON files. Run: `python3 generate_vectors.py` in this folder
(needs mpmath). The sampling vectors are a compatibility promise: never change existing entries.
"""

import json
import struct

from mpmath import mp, mpf, sqrt, betainc, erfc, quad, beta as B, npdf, findroot, ceil, inf

mp.dps = 50
MASK = (1 << 64) - 1
TAG = struct.unpack("<Q", b"smskitab")[0]


def rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & MASK


def siphash24(k0, k1, msg):
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573

    def rnd():
        nonlocal v0, v1, v2, v3
        v0 = (v0 + v1) & MASK; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
        v2 = (v2 + v3) & MASK; v3 = rotl(v3, 16); v3 ^= v2
        v0 = (v0 + v3) & MASK; v3 = rotl(v3, 21); v3 ^= v0
        v2 = (v2 + v1) & MASK; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)

    n = len(msg)
    end = n - n % 8
    for i in range(0, end, 8):
        m = struct.unpack("<Q", msg[i:i + 8])[0]
        v3 ^= m; rnd(); rnd(); v0 ^= m
    last = (n & 0xFF) << 56
    for i, byte in enumerate(msg[end:]):
        last |= byte << (8 * i)
    v3 ^= last; rnd(); rnd(); v0 ^= last
    v2 ^= 0xFF
    for _ in range(4):
        rnd()
    return v0 ^ v1 ^ v2 ^ v3


# Reference vector from the SipHash paper (Appendix A): key 00..0f, message 00..0e.
_k = bytes(range(16))
assert siphash24(struct.unpack("<Q", _k[:8])[0], struct.unpack("<Q", _k[8:])[0], bytes(range(15))) \
    == 0xA129CA6149BE45E5


def encode(record_id):
    if isinstance(record_id, int):
        return struct.pack("<Q", record_id & MASK)
    return record_id.encode("utf-8")


def sample_hash(seed, record_id):
    return siphash24(seed, TAG, encode(record_id))


def assign(seed, versions, pc, audience, traced):
    traced_enc = {encode(t) for t in traced}
    seen = set()
    entries = []  # (hash, encoding, position)
    n = 0
    for pos, rid in enumerate(audience):
        enc = encode(rid)
        if enc in seen:
            continue
        seen.add(enc)
        n += 1
        if enc in traced_enc:
            continue
        entries.append((sample_hash(seed, rid), enc, pos))
    entries.sort()
    size = max(n * pc // 100, 1)
    label = {}
    rank = 0
    for v in range(versions):
        for _ in range(size):
            if rank < len(entries):
                label[entries[rank][2]] = v
                rank += 1
    samples = [[] for _ in range(versions)]
    remainder = []
    eligible = {pos for _, _, pos in entries}
    for pos, rid in enumerate(audience):
        if pos not in eligible:
            continue
        if pos in label:
            samples[label[pos]].append(rid)
        else:
            remainder.append(rid)
    return samples, remainder


def sampling_vectors():
    hashes = []
    for seed in [0, 1, 42, 2024, 0xDEADBEEFCAFEF00D, MASK]:
        for rid in [0, 1, 7, 255, 256, 65535, 2**32, 2**63, MASK, -1, -42,
                    "", "a", "contact-1", "res.partner,17", "+33612345678", "héllo wörld ✓"]:
            hashes.append({"seed": seed, "id": rid, "hash": f"{sample_hash(seed, rid):016x}"})
    cases = []
    cases.append({"name": "two versions 10% of 50", "seed": 7, "versions": 2, "pc": 10,
                  "audience": list(range(1, 51)), "traced": []})
    cases.append({"name": "three versions 20% with traced and repeats", "seed": 99, "versions": 3,
                  "pc": 20, "audience": [5, 3, 9, 3, 12, 40, 41, 42, 7, 8, 1, 2, 5, 77, 13],
                  "traced": [9, 41, 1000]})
    cases.append({"name": "sample of one when the share rounds to zero", "seed": 1, "versions": 2,
                  "pc": 10, "audience": [10, 20, 30, 40, 50], "traced": []})
    cases.append({"name": "capped by the remaining recipients", "seed": 3, "versions": 3, "pc": 40,
                  "audience": list(range(100, 110)), "traced": [101, 102, 103]})
    cases.append({"name": "string ids", "seed": 2024, "versions": 2, "pc": 25,
                  "audience": [f"contact-{i}" for i in range(1, 21)], "traced": ["contact-4"]})
    cases.append({"name": "everything traced", "seed": 5, "versions": 2, "pc": 50,
                  "audience": [1, 2, 3], "traced": [3, 2, 1]})
    cases.append({"name": "full share", "seed": 11, "versions": 2, "pc": 100,
                  "audience": list(range(1, 9)), "traced": []})
    cases.append({"name": "large seed, 1000 ids", "seed": 0xDEADBEEFCAFEF00D, "versions": 4,
                  "pc": 5, "audience": list(range(1000, 2000)), "traced": list(range(1000, 1050))})
    for case in cases:
        samples, remainder = assign(case["seed"], case["versions"], case["pc"], case["audience"],
                                    case["traced"])
        case["samples"] = samples
        case["remainder"] = remainder
    return {"hashes": hashes, "assignments": cases}


def num(x):
    return float(x)


def wilson(s, n, alpha):
    if n == 0:
        return (mpf(0), mpf(1))
    z = -mp.sqrt(2) * mp.erfinv(2 * (mpf(alpha) / 2) - 1)
    p = mpf(s) / n
    denom = 1 + z * z / n
    center = (p + z * z / (2 * n)) / denom
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(center - half, mpf(0)), min(center + half, mpf(1)))


def z_test(sa, na, sb, nb, alpha):
    pa, pb = mpf(sa) / na, mpf(sb) / nb
    pooled = mpf(sa + sb) / (na + nb)
    se = sqrt(pooled * (1 - pooled) * (mpf(1) / na + mpf(1) / nb))
    z = (pb - pa) / se
    p = erfc(abs(z) / sqrt(2))
    la, ua = wilson(sa, na, alpha)
    lb, ub = wilson(sb, nb, alpha)
    d = pb - pa
    low = d - sqrt((pb - lb) ** 2 + (ua - pa) ** 2)
    high = d + sqrt((ub - pb) ** 2 + (pa - la) ** 2)
    return z, p, low, high


def t_tail(t, df):
    return betainc(df / 2, mpf(1) / 2, 0, df / (df + t * t), regularized=True)


def welch(ma, va, na, mb, vb, nb, alpha):
    sa, sb = mpf(va) / na, mpf(vb) / nb
    se = sqrt(sa + sb)
    t = (mpf(mb) - mpf(ma)) / se
    df = (sa + sb) ** 2 / (sa ** 2 / (na - 1) + sb ** 2 / (nb - 1))
    p = t_tail(t, df)
    crit = findroot(lambda x: t_tail(x, df) - mpf(alpha), mpf(2))
    d = mpf(mb) - mpf(ma)
    return t, df, p, d - crit * se, d + crit * se


def miller_exact(ax, bx, ay, by):
    """P(Y > X) for X ~ Beta(ax, bx), Y ~ Beta(ay, by), integer parameters, in exact rationals."""
    from fractions import Fraction
    from math import comb

    def beta_int(a, b):  # B(a, b) = (a-1)! (b-1)! / (a+b-1)!
        return Fraction(1, (a + b - 1) * comb(a + b - 2, a - 1))

    total = Fraction(0)
    bxy = beta_int(ax, bx)
    for i in range(ay):
        total += beta_int(ax + i, bx + by) / ((by + i) * beta_int(1 + i, by) * bxy)
    return total


def prob_best(versions):
    params = [(s + 1, n - s + 1) for s, n in versions]
    if len(params) == 2:
        (ax, bx), (ay, by) = params
        p = miller_exact(ax, bx, ay, by)
        win = mpf(p.numerator) / p.denominator
        return [1 - win, win]
    mp.dps = 30
    out = []
    pts = {mpf(0), mpf(1)}
    for a, b in params:
        n = a + b
        mean = mpf(a) / n
        sd = sqrt(mpf(a) * b / (n * n * (n + 1)))
        for c in (-12, -6, -3, 0, 3, 6, 12):
            x = mean + c * sd
            if 0 < x < 1:
                pts.add(x)
    pts = sorted(pts)
    for k, (a, b) in enumerate(params):
        def f(x, a=a, b=b, k=k):
            v = x ** (a - 1) * (1 - x) ** (b - 1) / B(a, b)
            for j, (aj, bj) in enumerate(params):
                if j != k:
                    v *= betainc(aj, bj, 0, x, regularized=True)
            return v
        out.append(quad(f, pts))
    mp.dps = 50
    return out


def sample_size(baseline, mde, alpha, power):
    p1 = mpf(baseline)
    p2 = p1 + mpf(mde)
    za = -mp.sqrt(2) * mp.erfinv(2 * (mpf(alpha) / 2) - 1)
    zp = mp.sqrt(2) * mp.erfinv(2 * mpf(power) - 1)
    pbar = (p1 + p2) / 2
    v = (za * sqrt(2 * pbar * (1 - pbar)) + zp * sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p2 - p1) ** 2
    return int(ceil(v)), num(v)


def statistics_vectors():
    wilson_cases = []
    for s, n, alpha in [(0, 50, 0.05), (1, 50, 0.05), (25, 50, 0.05), (50, 50, 0.05), (7, 13, 0.01),
                        (123, 4567, 0.05), (3, 100000, 0.1), (0, 1, 0.05), (1, 1, 0.2)]:
        lo, hi = wilson(s, n, alpha)
        wilson_cases.append({"successes": s, "trials": n, "alpha": alpha, "low": num(lo), "high": num(hi)})
    z_cases = []
    for sa, na, sb, nb, alpha in [(200, 4000, 260, 4000, 0.05), (48, 1000, 71, 1000, 0.05),
                                  (10, 100, 10, 100, 0.05), (0, 100, 5, 100, 0.05),
                                  (3, 20, 11, 25, 0.01), (5000, 100000, 5210, 100000, 0.05),
                                  (1, 2, 0, 3, 0.05), (90, 100, 100, 100, 0.1)]:
        z, p, lo, hi = z_test(sa, na, sb, nb, alpha)
        z_cases.append({"a": [sa, na], "b": [sb, nb], "alpha": alpha, "z": num(z), "p_value": num(p),
                        "low": num(lo), "high": num(hi)})
    welch_cases = []
    for args in [(20.0, 25.0, 50, 23.0, 36.0, 60, 0.05), (1.5, 4.0, 2, 2.5, 1.0, 3, 0.05),
                 (100.0, 900.0, 1000, 101.0, 1600.0, 800, 0.01), (0.0, 1.0, 10, 0.0, 1.0, 10, 0.05),
                 (12.5, 0.0, 30, 13.0, 4.0, 40, 0.05), (350.0, 2.0e4, 5000, 352.5, 2.5e4, 5100, 0.1)]:
        t, df, p, lo, hi = welch(*args)
        welch_cases.append({"a": list(args[0:3]), "b": list(args[3:6]), "alpha": args[6], "t": num(t),
                            "df": num(df), "p_value": num(p), "low": num(lo), "high": num(hi)})
    best_cases = []
    for versions in [[(0, 0), (0, 0)], [(10, 100), (15, 100)], [(40, 1000), (55, 1000)],
                     [(0, 10), (10, 10)], [(500, 20000), (560, 20000)],
                     [(40, 1000), (55, 1000), (47, 1000)], [(3, 30), (4, 30), (5, 30), (6, 30)],
                     [(120, 5000), (150, 5000), (118, 4800)], [(0, 0), (1, 3), (2, 3)]]:
        probs = prob_best(versions)
        best_cases.append({"versions": [list(v) for v in versions], "probability_best": [num(p) for p in probs]})
    size_cases = []
    for baseline, mde, alpha, power in [(0.05, 0.01, 0.05, 0.8), (0.1, 0.02, 0.05, 0.9), (0.5, -0.05, 0.01, 0.8),
                                        (0.02, 0.005, 0.05, 0.8), (0.3, 0.1, 0.1, 0.95), (0.8, 0.15, 0.05, 0.55)]:
        n, exact = sample_size(baseline, mde, alpha, power)
        size_cases.append({"baseline": baseline, "mde": mde, "alpha": alpha, "power": power,
                           "per_version": n, "unrounded": exact})
    return {"wilson": wilson_cases, "z_test": z_cases, "welch": welch_cases,
            "probability_best": best_cases, "sample_size": size_cases}


if __name__ == "__main__":
    with open("sampling.json", "w") as f:
        json.dump(sampling_vectors(), f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open("statistics.json", "w") as f:
        json.dump(statistics_vectors(), f, indent=1)
        f.write("\n")
