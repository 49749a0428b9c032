;; WebAssembly SIMD kernels of @x/tensor's softmax family (float32). `generate.mjs` (wabt)
;; assembles this file into `softmax-wasm.ts`; edit here, then run
;; `node src/kernels/wasm/generate.mjs` in packages/tensor.
;;
;; exp is SLEEF's expf_u10 (the exp torch vectorises) with separate multiplies and adds (wasm has
;; no fused multiply-add): the same bits as `expf` in ../softmax.ts, within 1 ulp of torch's.
;; Rows hold a multiple of 8 floats (the caller pads them with −inf, whose exp adds +0): lane l of
;; a row's sum adds the exps at l mod 8, then the lanes fold as torch's AVX2 reduction folds them,
;; ((0+4)+(2+6))+((1+5)+(3+7)).
(module
  (import "env" "memory" (memory 1))

  ;; For each of $rows rows of $n floats at $src: e = exp(x − max) into $dst, and the row's max
  ;; and sum of e into the pair of floats at $stats.
  (func (export "expsum") (param $src i32) (param $dst i32) (param $rows i32) (param $n i32) (param $stats i32)
    (local $p i32) (local $o i32) (local $end i32) (local $m v128) (local $a v128) (local $b v128)
    (local $d0 v128) (local $t0 v128) (local $q0 v128) (local $s0 v128) (local $u0 v128)
    (local $d1 v128) (local $t1 v128) (local $q1 v128) (local $s1 v128) (local $u1 v128)
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
        ;; max (pmax is one instruction; NaN in a row makes its sum NaN whatever the max)
        (local.set $a (v128.load (local.get $src)))
        (local.set $b (v128.load offset=16 (local.get $src)))
        (local.set $p (i32.add (local.get $src) (i32.const 32)))
        (block $maxed
          (loop $max
            (br_if $maxed (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $a (f32x4.pmax (local.get $a) (v128.load (local.get $p))))
            (local.set $b (f32x4.pmax (local.get $b) (v128.load offset=16 (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (br $max)))
        (local.set $a (f32x4.pmax (local.get $a) (local.get $b)))
        (local.set $a (f32x4.pmax (local.get $a) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a))))
        (local.set $a (f32x4.pmax (local.get $a) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $a) (local.get $a))))
        (local.set $m (f32x4.splat (f32x4.extract_lane 0 (local.get $a))))
        (f32.store (local.get $stats) (f32x4.extract_lane 0 (local.get $a)))
        ;; e = exp(x − max), lanes 0-3 of each group of 8 into $a, lanes 4-7 into $b
        (local.set $a (v128.const i32x4 0 0 0 0))
        (local.set $b (v128.const i32x4 0 0 0 0))
        (local.set $p (local.get $src))
        (local.set $o (local.get $dst))
        (loop $exp
          (local.set $d0 (f32x4.sub (v128.load (local.get $p)) (local.get $m)))
          (local.set $d1 (f32x4.sub (v128.load offset=16 (local.get $p)) (local.get $m)))
        ;; q = rint(d · log2 e) by adding and subtracting 1.5 · 2^23; s = d − q · ln 2 in two parts
        (local.set $t0 (f32x4.add (f32x4.mul (local.get $d0) (v128.const f32x4 1.44269502 1.44269502 1.44269502 1.44269502)) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $q0 (f32x4.sub (local.get $t0) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $s0 (f32x4.sub (local.get $d0) (f32x4.mul (local.get $q0) (v128.const f32x4 0.693145752 0.693145752 0.693145752 0.693145752))))
        (local.set $s0 (f32x4.sub (local.get $s0) (f32x4.mul (local.get $q0) (v128.const f32x4 0.00000142860677 0.00000142860677 0.00000142860677 0.00000142860677))))
        ;; u = 1 + s + s² · (0.5 + s · (C4 + s · (C3 + s · (C2 + s · (C1 + s · C0)))))
        (local.set $u0 (f32x4.add (f32x4.mul (v128.const f32x4 0.000198527618 0.000198527618 0.000198527618 0.000198527618) (local.get $s0)) (v128.const f32x4 0.00139304355 0.00139304355 0.00139304355 0.00139304355)))
        (local.set $u0 (f32x4.add (f32x4.mul (local.get $u0) (local.get $s0)) (v128.const f32x4 0.00833336078 0.00833336078 0.00833336078 0.00833336078)))
        (local.set $u0 (f32x4.add (f32x4.mul (local.get $u0) (local.get $s0)) (v128.const f32x4 0.0416664854 0.0416664854 0.0416664854 0.0416664854)))
        (local.set $u0 (f32x4.add (f32x4.mul (local.get $u0) (local.get $s0)) (v128.const f32x4 0.166666672 0.166666672 0.166666672 0.166666672)))
        (local.set $u0 (f32x4.add (f32x4.mul (local.get $u0) (local.get $s0)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
        (local.set $u0 (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.add (f32x4.mul (f32x4.mul (local.get $s0) (local.get $s0)) (local.get $u0)) (local.get $s0))))
        ;; u · 2^(q >> 1) · 2^(q − (q >> 1)), then 0 below −104 (q is t's low bits)
        (local.set $t0 (i32x4.sub (local.get $t0) (v128.const i32x4 0x4b400000 0x4b400000 0x4b400000 0x4b400000)))
        (local.set $q0 (i32x4.shr_s (local.get $t0) (i32.const 1)))
        (local.set $u0 (f32x4.mul (local.get $u0) (i32x4.shl (i32x4.add (local.get $q0) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
        (local.set $u0 (f32x4.mul (local.get $u0) (i32x4.shl (i32x4.add (i32x4.sub (local.get $t0) (local.get $q0)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
        (local.set $u0 (v128.andnot (local.get $u0) (f32x4.lt (local.get $d0) (v128.const f32x4 -104 -104 -104 -104))))
        ;; q = rint(d · log2 e) by adding and subtracting 1.5 · 2^23; s = d − q · ln 2 in two parts
        (local.set $t1 (f32x4.add (f32x4.mul (local.get $d1) (v128.const f32x4 1.44269502 1.44269502 1.44269502 1.44269502)) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $q1 (f32x4.sub (local.get $t1) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $s1 (f32x4.sub (local.get $d1) (f32x4.mul (local.get $q1) (v128.const f32x4 0.693145752 0.693145752 0.693145752 0.693145752))))
        (local.set $s1 (f32x4.sub (local.get $s1) (f32x4.mul (local.get $q1) (v128.const f32x4 0.00000142860677 0.00000142860677 0.00000142860677 0.00000142860677))))
        ;; u = 1 + s + s² · (0.5 + s · (C4 + s · (C3 + s · (C2 + s · (C1 + s · C0)))))
        (local.set $u1 (f32x4.add (f32x4.mul (v128.const f32x4 0.000198527618 0.000198527618 0.000198527618 0.000198527618) (local.get $s1)) (v128.const f32x4 0.00139304355 0.00139304355 0.00139304355 0.00139304355)))
        (local.set $u1 (f32x4.add (f32x4.mul (local.get $u1) (local.get $s1)) (v128.const f32x4 0.00833336078 0.00833336078 0.00833336078 0.00833336078)))
        (local.set $u1 (f32x4.add (f32x4.mul (local.get $u1) (local.get $s1)) (v128.const f32x4 0.0416664854 0.0416664854 0.0416664854 0.0416664854)))
        (local.set $u1 (f32x4.add (f32x4.mul (local.get $u1) (local.get $s1)) (v128.const f32x4 0.166666672 0.166666672 0.166666672 0.166666672)))
        (local.set $u1 (f32x4.add (f32x4.mul (local.get $u1) (local.get $s1)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
        (local.set $u1 (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.add (f32x4.mul (f32x4.mul (local.get $s1) (local.get $s1)) (local.get $u1)) (local.get $s1))))
        ;; u · 2^(q >> 1) · 2^(q − (q >> 1)), then 0 below −104 (q is t's low bits)
        (local.set $t1 (i32x4.sub (local.get $t1) (v128.const i32x4 0x4b400000 0x4b400000 0x4b400000 0x4b400000)))
        (local.set $q1 (i32x4.shr_s (local.get $t1) (i32.const 1)))
        (local.set $u1 (f32x4.mul (local.get $u1) (i32x4.shl (i32x4.add (local.get $q1) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
        (local.set $u1 (f32x4.mul (local.get $u1) (i32x4.shl (i32x4.add (i32x4.sub (local.get $t1) (local.get $q1)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
        (local.set $u1 (v128.andnot (local.get $u1) (f32x4.lt (local.get $d1) (v128.const f32x4 -104 -104 -104 -104))))
          (v128.store (local.get $o) (local.get $u0))
          (v128.store offset=16 (local.get $o) (local.get $u1))
          (local.set $a (f32x4.add (local.get $a) (local.get $u0)))
          (local.set $b (f32x4.add (local.get $b) (local.get $u1)))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $o (i32.add (local.get $o) (i32.const 32)))
          (br_if $exp (i32.lt_u (local.get $p) (local.get $end))))
        (local.set $a (f32x4.add (local.get $a) (local.get $b)))
        (local.set $a (f32x4.add (local.get $a) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a))))
        (f32.store offset=4 (local.get $stats)
          (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a))))
        (local.set $src (local.get $end))
        (local.set $dst (local.get $o))
        (local.set $stats (i32.add (local.get $stats) (i32.const 8)))
        (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))))

  ;; Multiplies each of $rows rows of $n floats at $dst by the float at $factors (one per row).
  (func (export "scale") (param $dst i32) (param $rows i32) (param $n i32) (param $factors i32)
    (local $end i32) (local $f v128)
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $f (v128.load32_splat (local.get $factors)))
        (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
        (loop $mul
          (v128.store (local.get $dst) (f32x4.mul (v128.load (local.get $dst)) (local.get $f)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
          (br_if $mul (i32.lt_u (local.get $dst) (local.get $end))))
        (local.set $factors (i32.add (local.get $factors) (i32.const 4)))
        (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))))

  ;; (x − max) − c for each of $rows rows of $n floats at $src into $dst; the row's max and c are
  ;; the pair of floats at $stats.
  (func (export "shift") (param $src i32) (param $dst i32) (param $rows i32) (param $n i32) (param $stats i32)
    (local $end i32) (local $m v128) (local $c v128)
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $m (v128.load32_splat (local.get $stats)))
        (local.set $c (v128.load32_splat offset=4 (local.get $stats)))
        (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
        (loop $sub
          (v128.store (local.get $dst)
            (f32x4.sub (f32x4.sub (v128.load (local.get $src)) (local.get $m)) (local.get $c)))
          (local.set $src (i32.add (local.get $src) (i32.const 16)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
          (br_if $sub (i32.lt_u (local.get $src) (local.get $end))))
        (local.set $stats (i32.add (local.get $stats) (i32.const 8)))
        (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))))

  ;; e^x for $n floats (a multiple of 8) at $src into $dst, as in expsum.
  (func (export "exp") (param $src i32) (param $dst i32) (param $n i32)
    (local $end i32)
    (local $d0 v128) (local $t0 v128) (local $q0 v128) (local $s0 v128) (local $u0 v128)
    (local $d1 v128) (local $t1 v128) (local $q1 v128) (local $s1 v128) (local $u1 v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $exp
        (local.set $d0 (v128.load (local.get $src)))
        (local.set $d1 (v128.load offset=16 (local.get $src)))
        ;; q = rint(d · log2 e) by adding and subtracting 1.5 · 2^23; s = d − q · ln 2 in two parts
        (local.set $t0 (f32x4.add (f32x4.mul (local.get $d0) (v128.const f32x4 1.44269502 1.44269502 1.44269502 1.44269502)) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $q0 (f32x4.sub (local.get $t0) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $s0 (f32x4.sub (local.get $d0) (f32x4.mul (local.get $q0) (v128.const f32x4 0.693145752 0.693145752 0.693145752 0.693145752))))
        (local.set $s0 (f32x4.sub (local.get $s0) (f32x4.mul (local.get $q0) (v128.const f32x4 0.00000142860677 0.00000142860677 0.00000142860677 0.00000142860677))))
        ;; u = 1 + s + s² · (0.5 + s · (C4 + s · (C3 + s · (C2 + s · (C1 + s · C0)))))
        (local.set $u0 (f32x4.add (f32x4.mul (v128.const f32x4 0.000198527618 0.000198527618 0.000198527618 0.000198527618) (local.get $s0)) (v128.const f32x4 0.00139304355 0.00139304355 0.00139304355 0.00139304355)))
        (local.set $u0 (f32x4.add (f32x4.mul (local.get $u0) (local.get $s0)) (v128.const f32x4 0.00833336078 0.00833336078 0.00833336078 0.00833336078)))
        (local.set $u0 (f32x4.add (f32x4.mul (local.get $u0) (local.get $s0)) (v128.const f32x4 0.0416664854 0.0416664854 0.0416664854 0.0416664854)))
        (local.set $u0 (f32x4.add (f32x4.mul (local.get $u0) (local.get $s0)) (v128.const f32x4 0.166666672 0.166666672 0.166666672 0.166666672)))
        (local.set $u0 (f32x4.add (f32x4.mul (local.get $u0) (local.get $s0)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
        (local.set $u0 (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.add (f32x4.mul (f32x4.mul (local.get $s0) (local.get $s0)) (local.get $u0)) (local.get $s0))))
        ;; u · 2^(q >> 1) · 2^(q − (q >> 1)), then 0 below −104 (q is t's low bits)
        (local.set $t0 (i32x4.sub (local.get $t0) (v128.const i32x4 0x4b400000 0x4b400000 0x4b400000 0x4b400000)))
        (local.set $q0 (i32x4.shr_s (local.get $t0) (i32.const 1)))
        (local.set $u0 (f32x4.mul (local.get $u0) (i32x4.shl (i32x4.add (local.get $q0) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
        (local.set $u0 (f32x4.mul (local.get $u0) (i32x4.shl (i32x4.add (i32x4.sub (local.get $t0) (local.get $q0)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
        (local.set $u0 (v128.andnot (local.get $u0) (f32x4.lt (local.get $d0) (v128.const f32x4 -104 -104 -104 -104))))
        ;; q = rint(d · log2 e) by adding and subtracting 1.5 · 2^23; s = d − q · ln 2 in two parts
        (local.set $t1 (f32x4.add (f32x4.mul (local.get $d1) (v128.const f32x4 1.44269502 1.44269502 1.44269502 1.44269502)) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $q1 (f32x4.sub (local.get $t1) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $s1 (f32x4.sub (local.get $d1) (f32x4.mul (local.get $q1) (v128.const f32x4 0.693145752 0.693145752 0.693145752 0.693145752))))
        (local.set $s1 (f32x4.sub (local.get $s1) (f32x4.mul (local.get $q1) (v128.const f32x4 0.00000142860677 0.00000142860677 0.00000142860677 0.00000142860677))))
        ;; u = 1 + s + s² · (0.5 + s · (C4 + s · (C3 + s · (C2 + s · (C1 + s · C0)))))
        (local.set $u1 (f32x4.add (f32x4.mul (v128.const f32x4 0.000198527618 0.000198527618 0.000198527618 0.000198527618) (local.get $s1)) (v128.const f32x4 0.00139304355 0.00139304355 0.00139304355 0.00139304355)))
        (local.set $u1 (f32x4.add (f32x4.mul (local.get $u1) (local.get $s1)) (v128.const f32x4 0.00833336078 0.00833336078 0.00833336078 0.00833336078)))
        (local.set $u1 (f32x4.add (f32x4.mul (local.get $u1) (local.get $s1)) (v128.const f32x4 0.0416664854 0.0416664854 0.0416664854 0.0416664854)))
        (local.set $u1 (f32x4.add (f32x4.mul (local.get $u1) (local.get $s1)) (v128.const f32x4 0.166666672 0.166666672 0.166666672 0.166666672)))
        (local.set $u1 (f32x4.add (f32x4.mul (local.get $u1) (local.get $s1)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
        (local.set $u1 (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.add (f32x4.mul (f32x4.mul (local.get $s1) (local.get $s1)) (local.get $u1)) (local.get $s1))))
        ;; u · 2^(q >> 1) · 2^(q − (q >> 1)), then 0 below −104 (q is t's low bits)
        (local.set $t1 (i32x4.sub (local.get $t1) (v128.const i32x4 0x4b400000 0x4b400000 0x4b400000 0x4b400000)))
        (local.set $q1 (i32x4.shr_s (local.get $t1) (i32.const 1)))
        (local.set $u1 (f32x4.mul (local.get $u1) (i32x4.shl (i32x4.add (local.get $q1) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
        (local.set $u1 (f32x4.mul (local.get $u1) (i32x4.shl (i32x4.add (i32x4.sub (local.get $t1) (local.get $q1)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
        (local.set $u1 (v128.andnot (local.get $u1) (f32x4.lt (local.get $d1) (v128.const f32x4 -104 -104 -104 -104))))
        ;; above 100: inf (below it the scaling overflows to inf by itself)
        (v128.store (local.get $dst) (v128.bitselect (v128.const f32x4 inf inf inf inf) (local.get $u0) (f32x4.gt (local.get $d0) (v128.const f32x4 100 100 100 100))))
        (v128.store offset=16 (local.get $dst) (v128.bitselect (v128.const f32x4 inf inf inf inf) (local.get $u1) (f32x4.gt (local.get $d1) (v128.const f32x4 100 100 100 100))))
        (local.set $src (i32.add (local.get $src) (i32.const 32)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (br_if $exp (i32.lt_u (local.get $src) (local.get $end)))))))
