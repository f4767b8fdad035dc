/**
 * The fused value-and-derivative loop (`loss.kernels.sumAndDerivatives`) of the logistic loss and
 * of cross-entropy with logits, two elements per operation. Each element is computed with the
 * operations of its JavaScript formula in the same order (src/losses/margin.ts, probability.ts,
 * stable.ts, elementary.ts; no fused multiply-add), reading the same tables, and the values are
 * summed one after the other in element order with the generated loops' compensated sum, so the
 * bits of every derivative and of the sum are those of the JavaScript loop; the tests check it.
 *
 * `tables` is the byte offset of src/losses/elementary.ts's ELEMENTARY_TABLES copied into this
 * memory: exp's scale and ln 2 / 128 in two parts, then the tables at the offsets below.
 */

const SCALE_AT: usize = 0;
const STEP_HI_AT: usize = 8;
const STEP_LO_AT: usize = 16;
const EXP_HI_AT: usize = 4 * 8;
const EXP_LO_AT: usize = EXP_HI_AT + 128 * 8;
const LOG_ANCHOR_AT: usize = EXP_LO_AT + 128 * 8;
const LOG_INV_AT: usize = LOG_ANCHOR_AT + 129 * 8;
const LOG_HI_AT: usize = LOG_INV_AT + 129 * 8;
const LOG_LO_AT: usize = LOG_HI_AT + 129 * 8;

/** 1.5 · 2^52: adding and subtracting it rounds to an integer, as in elementary.ts. */
const SHIFT: f64 = 6755399441055744;
const LN2: f64 = Math.LN2;

/**
 * The loops' parts, on both lanes. Static methods because AssemblyScript inlines what is
 * decorated @inline, and a decorator needs a class in the syntax the linter reads.
 */
// biome-ignore lint/complexity/noStaticOnlyClass: see above
class Lanes {
  /** Two table entries, at the indices in lanes 0 and 1 of `j` (i32 lanes). */
  @inline static gather(table: usize, j: v128): v128 {
    const j0 = <usize>i32x4.extract_lane(j, 0);
    const j1 = <usize>i32x4.extract_lane(j, 1);
    return v128.load64_lane(table + (j1 << 3), v128.load64_zero(table + (j0 << 3)), 1);
  }
  /** 0 or 1 for each lane of a comparison's mask. */
  @inline static bit(mask: v128): v128 {
    return v128.and(mask, f64x2.splat(1));
  }
  /**
   * e^x for x <= 0 (x = -|z|), as elementary.ts's `exp`. Its main range, x >= -708, is computed
   * on both lanes, with 2^m made from its bits (m >= -1022 there, a normal number, the value of
   * the POW2 entry); a pair with a lane below it or NaN goes to the scalar `exp`.
   */
  @inline static expPair(x: v128, tables: usize): v128 {
    if (!i64x2.all_true(f64x2.ge(x, f64x2.splat(-708)))) {
      return f64x2.replace_lane(
        f64x2.splat(expScalar(f64x2.extract_lane(x, 0), tables)),
        1,
        expScalar(f64x2.extract_lane(x, 1), tables),
      );
    }
    const shift = f64x2.splat(SHIFT);
    const kd = f64x2.sub(f64x2.add(f64x2.mul(x, v128.load64_splat(tables + SCALE_AT)), shift), shift);
    const k = i32x4.trunc_sat_f64x2_s_zero(kd);
    const r = f64x2.sub(
      f64x2.sub(x, f64x2.mul(kd, v128.load64_splat(tables + STEP_HI_AT))),
      f64x2.mul(kd, v128.load64_splat(tables + STEP_LO_AT)),
    );
    const r2 = f64x2.mul(r, r);
    const inner = f64x2.add(
      f64x2.add(f64x2.splat(0.5), f64x2.mul(r, f64x2.splat(1.0 / 6.0))),
      f64x2.mul(r2, f64x2.add(f64x2.splat(1.0 / 24.0), f64x2.mul(r, f64x2.splat(1.0 / 120.0)))),
    );
    const q = f64x2.add(r, f64x2.mul(r2, inner));
    const j = v128.and(k, i32x4.splat(127));
    const t = Lanes.gather(tables + EXP_HI_AT, j);
    const tl = Lanes.gather(tables + EXP_LO_AT, j);
    const m = i64x2.extend_low_i32x4_s(i32x4.shr_s(k, 7));
    const pow2 = i64x2.shl(i64x2.add(m, i64x2.splat(1023)), 52);
    return f64x2.mul(f64x2.add(t, f64x2.add(tl, f64x2.mul(t, q))), pow2);
  }
  /**
   * ln(1 + x) for x in [0, 1], as elementary.ts's `log1pUnit`, with the polynomial `logTail` of
   * tables.generated.ts: its coefficients are literals there too (the bit-identity tests fail if
   * the generator changes them and not these).
   */
  @inline static log1pPair(x: v128, tables: usize): v128 {
    const j = i32x4.trunc_sat_f64x2_s_zero(f64x2.mul(x, f64x2.splat(128)));
    const r = f64x2.mul(f64x2.sub(x, Lanes.gather(tables + LOG_ANCHOR_AT, j)), Lanes.gather(tables + LOG_INV_AT, j));
    const r2 = f64x2.mul(r, r);
    const r4 = f64x2.mul(r2, r2);
    const tail = f64x2.add(
      f64x2.add(
        f64x2.add(f64x2.splat(0.3333333333333328), f64x2.mul(r, f64x2.splat(-0.24999999999894232))),
        f64x2.mul(r2, f64x2.add(f64x2.splat(0.19999999964380846), f64x2.mul(r, f64x2.splat(-0.1666666208720517)))),
      ),
      f64x2.mul(
        r4,
        f64x2.add(
          f64x2.add(f64x2.splat(0.14285424291529386), f64x2.mul(r, f64x2.splat(-0.12489979161164907))),
          f64x2.mul(r2, f64x2.add(f64x2.splat(0.10917472208955137), f64x2.mul(r, f64x2.splat(-0.08006435321367215)))),
        ),
      ),
    );
    const poly = f64x2.mul(r2, f64x2.sub(f64x2.mul(r, tail), f64x2.splat(0.5)));
    return f64x2.add(
      Lanes.gather(tables + LOG_HI_AT, j),
      f64x2.add(r, f64x2.add(Lanes.gather(tables + LOG_LO_AT, j), poly)),
    );
  }
  /**
   * margin.ts's logistic `valueAndDerivative` for labels y and scores f: returns the values and
   * stores the derivatives at `out` (both lanes when `whole`, else lane 0).
   */
  @inline static logisticPair(y: v128, f: v128, out: usize, whole: bool, tables: usize): v128 {
    const ny = f64x2.neg(y);
    const x = f64x2.mul(ny, f);
    const e = Lanes.expPair(f64x2.neg(f64x2.abs(x)), tables);
    const one = Lanes.bit(f64x2.ge(x, f64x2.splat(0)));
    const numerator = f64x2.add(one, f64x2.mul(f64x2.sub(f64x2.splat(1), one), e));
    const sigma = f64x2.div(numerator, f64x2.add(f64x2.splat(1), e));
    const g = f64x2.div(f64x2.mul(ny, sigma), f64x2.splat(LN2));
    if (whole) v128.store(out, g);
    else v128.store64_lane(out, g, 0);
    const positive = f64x2.add(f64x2.mul(x, Lanes.bit(f64x2.gt(x, f64x2.splat(0)))), f64x2.splat(0));
    return f64x2.div(f64x2.add(positive, Lanes.log1pPair(e, tables)), f64x2.splat(LN2));
  }
  /**
   * probability.ts's crossEntropyWithLogits `valueAndDerivative` for targets t outside
   * [0.25, 0.75] (the gradient form of stable.ts's `outerSigmoidMinus`; the middle one needs
   * tanh, and the caller sends such targets to the JavaScript loop).
   */
  @inline static crossEntropyPair(t: v128, z: v128, out: usize, whole: bool, tables: usize): v128 {
    const e = Lanes.expPair(f64x2.neg(f64x2.abs(z)), tables);
    const unit = f64x2.splat(1);
    const low = Lanes.bit(f64x2.lt(t, f64x2.splat(0.25)));
    const high = f64x2.sub(unit, low);
    const one = f64x2.add(
      f64x2.mul(low, Lanes.bit(f64x2.ge(z, f64x2.splat(0)))),
      f64x2.mul(high, Lanes.bit(f64x2.le(z, f64x2.splat(0)))),
    );
    const s = f64x2.div(f64x2.add(one, f64x2.mul(f64x2.sub(unit, one), e)), f64x2.add(unit, e));
    const g = f64x2.add(
      f64x2.sub(f64x2.mul(high, f64x2.sub(unit, t)), f64x2.mul(low, t)),
      f64x2.mul(f64x2.sub(f64x2.mul(f64x2.splat(2), low), unit), s),
    );
    if (whole) v128.store(out, g);
    else v128.store64_lane(out, g, 0);
    const linear = f64x2.mul(f64x2.sub(Lanes.bit(f64x2.gt(z, f64x2.splat(0))), t), z);
    return f64x2.add(linear, Lanes.log1pPair(e, tables));
  }
  /** 0: logistic, 1: cross-entropy with logits. */
  @inline static pair(kind: i32, y: v128, f: v128, out: usize, whole: bool, tables: usize): v128 {
    return kind === 0 ? Lanes.logisticPair(y, f, out, whole, tables) : Lanes.crossEntropyPair(y, f, out, whole, tables);
  }
  /**
   * Σ values with out_i = the derivatives, the sum compensated as the generated loops do it
   * (kernels.generated.ts `fusedSumAndDerivatives`), element after element. A last odd element
   * goes through the pair with a harmless partner (label 1, score 0) whose lane is dropped.
   *
   * With `line`, the scores are those of a point on a line, f_i + alpha ds_i, made here and
   * stored at `trial` (as core/smooth.ts `along` makes them), and Σ out_i ds_i, summed one
   * element after the other as linalg/dense `dot` does, is stored at `dotAt`.
   */
  @inline static loop(
    kind: i32,
    line: bool,
    y: usize,
    f: usize,
    ds: usize,
    alpha: f64,
    trial: usize,
    out: usize,
    n: i32,
    tables: usize,
    dotAt: usize,
  ): f64 {
    let s: f64 = 0;
    let c: f64 = 0;
    let slope: f64 = 0;
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      let fv = v128.load(f + o);
      let dv = f64x2.splat(0);
      if (line) {
        dv = v128.load(ds + o);
        fv = f64x2.add(fv, f64x2.mul(f64x2.splat(alpha), dv));
        v128.store(trial + o, fv);
      }
      const v = Lanes.pair(kind, v128.load(y + o), fv, out + o, true, tables);
      if (line) {
        const g = v128.load(out + o);
        slope += f64x2.extract_lane(g, 0) * f64x2.extract_lane(dv, 0);
        slope += f64x2.extract_lane(g, 1) * f64x2.extract_lane(dv, 1);
      }
      let x = f64x2.extract_lane(v, 0);
      let t = s + x;
      if (x <= s) c += s - t + x;
      else {
        const z = t - s;
        c += s - (t - z) + (x - z);
      }
      s = t;
      x = f64x2.extract_lane(v, 1);
      t = s + x;
      if (x <= s) c += s - t + x;
      else {
        const z = t - s;
        c += s - (t - z) + (x - z);
      }
      s = t;
    }
    if (i < n) {
      const o = (<usize>i) << 3;
      let fi = load<f64>(f + o);
      if (line) {
        fi = fi + alpha * load<f64>(ds + o);
        store<f64>(trial + o, fi);
      }
      const yv = f64x2.replace_lane(f64x2.splat(1), 0, load<f64>(y + o));
      const fv = f64x2.replace_lane(f64x2.splat(0), 0, fi);
      const x = f64x2.extract_lane(Lanes.pair(kind, yv, fv, out + o, false, tables), 0);
      if (line) slope += load<f64>(out + o) * load<f64>(ds + o);
      const t = s + x;
      if (x <= s) c += s - t + x;
      else {
        const z = t - s;
        c += s - (t - z) + (x - z);
      }
      s = t;
    }
    if (line) store<f64>(dotAt, slope);
    return s - s === 0 ? s + c : s;
  }
}

/** 2^m for the m that `expScalar` forms, all within the normal range. */
function pow2(m: i32): f64 {
  return reinterpret<f64>((<u64>(m + 1023)) << 52);
}

/** elementary.ts's `exp` and `expOutside`, one element, the same operations. */
function expScalar(x: f64, tables: usize): f64 {
  const outside = !(x >= -708 && x <= 709);
  if (outside && Number.isNaN(x)) return x;
  const c = outside ? (x < -746 ? -746 : x > 710 ? 710 : x) : x;
  const kd = c * load<f64>(tables + SCALE_AT) + SHIFT - SHIFT;
  const k = <i32>kd;
  const r = c - kd * load<f64>(tables + STEP_HI_AT) - kd * load<f64>(tables + STEP_LO_AT);
  const r2 = r * r;
  const q = r + r2 * (0.5 + r * (1.0 / 6.0) + r2 * (1.0 / 24.0 + r * (1.0 / 120.0)));
  const j = <usize>(k & 127);
  const t = load<f64>(tables + EXP_HI_AT + (j << 3));
  const s = t + (load<f64>(tables + EXP_LO_AT + (j << 3)) + t * q);
  const m = k >> 7;
  if (!outside) return s * pow2(m);
  const half = m >> 1;
  return s * pow2(half) * pow2(m - half);
}

export function logisticSumAndDerivatives(y: usize, f: usize, out: usize, n: i32, tables: usize): f64 {
  return Lanes.loop(0, false, y, f, 0, 0, 0, out, n, tables, 0);
}

export function crossEntropyWithLogitsSumAndDerivatives(y: usize, f: usize, out: usize, n: i32, tables: usize): f64 {
  return Lanes.loop(1, false, y, f, 0, 0, 0, out, n, tables, 0);
}

/** The loop at the scores s + alpha ds (stored at `trial`), with Σ out_i ds_i stored at `dotAt`. */
export function logisticAlong(
  y: usize,
  s: usize,
  ds: usize,
  alpha: f64,
  trial: usize,
  out: usize,
  n: i32,
  tables: usize,
  dotAt: usize,
): f64 {
  return Lanes.loop(0, true, y, s, ds, alpha, trial, out, n, tables, dotAt);
}

/** As `logisticAlong`, for cross-entropy with logits. */
export function crossEntropyWithLogitsAlong(
  y: usize,
  s: usize,
  ds: usize,
  alpha: f64,
  trial: usize,
  out: usize,
  n: i32,
  tables: usize,
  dotAt: usize,
): f64 {
  return Lanes.loop(1, true, y, s, ds, alpha, trial, out, n, tables, dotAt);
}
