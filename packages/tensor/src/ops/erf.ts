/**
 * The error function and its complement in float64, ported from FreeBSD's msun `s_erf.c`
 * (Sun Microsystems' fdlibm, © 1993 Sun Microsystems, Inc.: "Permission to use, copy, modify,
 * and distribute this software is freely granted, provided that this notice is preserved.").
 * Same rational approximations and branch points, so the results are within 1 ulp: JS has no
 * `Math.erf`. Float32 callers round the result once.
 */

/** erf(1) rounded to float32, the split of the [0.84375, 1.25) branch. */
const ERX = 0.8450629115104675;
const EFX = 0.1283791670955126;
const EFX8 = 1.0270333367641007;
const TINY = 1e-300;

/** A shared view to clear the low 32 bits of a float64 (as `SET_LOW_WORD(z, 0)` does). */
const word = new Float64Array(1);
const words = new Uint32Array(word.buffer);
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

function highPart(x: number): number {
  word[0] = x;
  words[LOW] = 0;
  return word[0] as number;
}

/** erf on [0, 0.84375): `y` with erf(x) = x + x·y. */
function smallRatio(x: number): number {
  const z = x * x;
  const r =
    0.12837916709551256 +
    z *
      (-0.3250421072470015 +
        z * (-0.02848174957559851 + z * (-0.005770270296489442 + z * -2.3763016656650163e-5)));
  const s =
    1 +
    z *
      (0.39791722395915535 +
        z *
          (0.0650222499887673 +
            z * (0.005081306281875766 + z * (0.00013249473800432164 + z * -3.960228278775368e-6))));
  return r / s;
}

/** erf(|x|) − erx on [0.84375, 1.25). */
function nearOne(ax: number): number {
  const s = ax - 1;
  const p =
    -0.0023621185607526594 +
    s *
      (0.41485611868374833 +
        s *
          (-0.3722078760357013 +
            s *
              (0.31834661990116175 +
                s *
                  (-0.11089469428239668 +
                    s * (0.035478304325618236 + s * -0.002166375594868791)))));
  const q =
    1 +
    s *
      (0.10642088040084423 +
        s *
          (0.540397917702171 +
            s *
              (0.07182865441419627 +
                s * (0.12617121980876164 + s * (0.01363708391202905 + s * 0.011984499846799107)))));
  return p / q;
}

/** erfc(|x|)·|x| for |x| in [1.25, 28): exp(−x² − 0.5625 + R/S), with x² split for accuracy. */
function tail(ax: number): number {
  const s = 1 / (ax * ax);
  let r: number;
  let q: number;
  if (ax < 1 / 0.35) {
    r =
      -0.009864944034847148 +
      s *
        (-0.6938585727071818 +
          s *
            (-10.558626225323291 +
              s *
                (-62.375332450326006 +
                  s *
                    (-162.39666946257347 +
                      s *
                        (-184.60509290671104 +
                          s * (-81.2874355063066 + s * -9.814329344169145))))));
    q =
      1 +
      s *
        (19.651271667439257 +
          s *
            (137.65775414351904 +
              s *
                (434.56587747522923 +
                  s *
                    (645.3872717332679 +
                      s *
                        (429.00814002756783 +
                          s *
                            (108.63500554177944 +
                              s * (6.570249770319282 + s * -0.0604244152148581)))))));
  } else {
    r =
      -0.0098649429247001 +
      s *
        (-0.799283237680523 +
          s *
            (-17.757954917754752 +
              s *
                (-160.63638485582192 +
                  s * (-637.5664433683896 + s * (-1025.0951316110772 + s * -483.5191916086514)))));
    q =
      1 +
      s *
        (30.33806074348246 +
          s *
            (325.7925129965739 +
              s *
                (1536.729586084437 +
                  s *
                    (3199.8582195085955 +
                      s *
                        (2553.0504064331644 +
                          s * (474.52854120695537 + s * -22.44095244658582))))));
  }
  const z = highPart(ax);
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + r / q)) / ax;
}

/** The error function `erf(x)`, accurate to 1 ulp in float64. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return ax < 2 ** -1018 ? 0.125 * (8 * x + EFX8 * x) : x + EFX * x;
    return x + x * smallRatio(x);
  }
  if (ax < 1.25) return x >= 0 ? ERX + nearOne(ax) : -ERX - nearOne(ax);
  if (ax >= 6) return x >= 0 ? 1 - TINY : TINY - 1;
  const r = tail(ax);
  return x >= 0 ? 1 - r : r - 1;
}

/** The complementary error function `erfc(x) = 1 − erf(x)`, without cancellation for large x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -56) return 1 - x;
    const y = smallRatio(x);
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (ax < 1.25) return x >= 0 ? 1 - ERX - nearOne(ax) : 1 + (ERX + nearOne(ax));
  if (ax < 28) {
    if (x < -6) return 2 - TINY;
    const r = tail(ax);
    return x > 0 ? r : 2 - r;
  }
  return x > 0 ? 0 : 2 - TINY;
}
