;; WebAssembly SIMD kernels of @x/tensor's stride-1 convolutions (and of relu and 2 x 2 max
;; pooling, the layers that usually follow them). `generate.mjs` (wabt)
;; assembles this file into `conv-wasm.ts`; edit here, then run `node src/kernels/wasm/generate.mjs`
;; in packages/tensor.
;;
;; Both read a zero-padded image straight from memory instead of an im2col matrix: with stride
;; 1, tap r of output (y, x) is at `offsets[r] + 4 (y * paddedWidth + x)` bytes from the image,
;; so 8 consecutive outputs of a row read 8 consecutive floats. The sums run in float32 in the
;; order of kernels.wat's sgemm (over the taps r for the forward product, over the output
;; positions for the weight gradient), rounding after every multiply and add: the same bits as
;; the im2col product.
(module
  (import "env" "memory" (memory 1))

  ;; C[5 x 8] at $c (row stride $ldc bytes) = sum over r < $k of A5[r] x image[offsets[r] + t ..
  ;; + 8], plus the 5 rows' biases at $bp; A packed as kernels.wat's (5-row blocks), $xp the
  ;; image plus 4 t bytes.
  (func $tile (param $ap i32) (param $xp i32) (param $op i32) (param $c i32) (param $ldc i32)
    (param $k i32) (param $bp i32)
    (local $end i32) (local $at i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $c40 v128) (local $c41 v128)
    (local.set $end (i32.add (local.get $op) (i32.shl (local.get $k) (i32.const 2))))
    (if (local.get $k)
      (then
        (loop $r
          (local.set $at (i32.add (local.get $xp) (i32.load (local.get $op))))
          (local.set $b0 (v128.load (local.get $at)))
          (local.set $b1 (v128.load offset=16 (local.get $at)))
          (local.set $x (v128.load32_splat (local.get $ap)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load32_splat offset=4 (local.get $ap)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load32_splat offset=8 (local.get $ap)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load32_splat offset=12 (local.get $ap)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load32_splat offset=16 (local.get $ap)))
          (local.set $c40 (f32x4.add (local.get $c40) (f32x4.mul (local.get $x) (local.get $b0))))
          (local.set $c41 (f32x4.add (local.get $c41) (f32x4.mul (local.get $x) (local.get $b1))))
          (local.set $ap (i32.add (local.get $ap) (i32.const 20)))
          (local.set $op (i32.add (local.get $op) (i32.const 4)))
          (br_if $r (i32.lt_u (local.get $op) (local.get $end))))))
    ;; the bias: one more float32 addition, as a separate add would round it
    (local.set $x (v128.load32_splat (local.get $bp)))
    (local.set $c00 (f32x4.add (local.get $c00) (local.get $x)))
    (local.set $c01 (f32x4.add (local.get $c01) (local.get $x)))
    (local.set $x (v128.load32_splat offset=4 (local.get $bp)))
    (local.set $c10 (f32x4.add (local.get $c10) (local.get $x)))
    (local.set $c11 (f32x4.add (local.get $c11) (local.get $x)))
    (local.set $x (v128.load32_splat offset=8 (local.get $bp)))
    (local.set $c20 (f32x4.add (local.get $c20) (local.get $x)))
    (local.set $c21 (f32x4.add (local.get $c21) (local.get $x)))
    (local.set $x (v128.load32_splat offset=12 (local.get $bp)))
    (local.set $c30 (f32x4.add (local.get $c30) (local.get $x)))
    (local.set $c31 (f32x4.add (local.get $c31) (local.get $x)))
    (local.set $x (v128.load32_splat offset=16 (local.get $bp)))
    (local.set $c40 (f32x4.add (local.get $c40) (local.get $x)))
    (local.set $c41 (f32x4.add (local.get $c41) (local.get $x)))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c40))
    (v128.store offset=16 (local.get $c) (local.get $c41)))

  ;; The same for 4 rows (C[4 x 8], A packed in 4-row blocks): the block height that covers 8,
  ;; 16 or 32 channels without computing rows that are dropped.
  (func $tile4 (param $ap i32) (param $xp i32) (param $op i32) (param $c i32) (param $ldc i32)
    (param $k i32) (param $bp i32)
    (local $end i32) (local $at i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $end (i32.add (local.get $op) (i32.shl (local.get $k) (i32.const 2))))
    (if (local.get $k)
      (then
        (loop $r
          (local.set $at (i32.add (local.get $xp) (i32.load (local.get $op))))
          (local.set $b0 (v128.load (local.get $at)))
          (local.set $b1 (v128.load offset=16 (local.get $at)))
          (local.set $x (v128.load32_splat (local.get $ap)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load32_splat offset=4 (local.get $ap)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load32_splat offset=8 (local.get $ap)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load32_splat offset=12 (local.get $ap)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
          (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
          (local.set $op (i32.add (local.get $op) (i32.const 4)))
          (br_if $r (i32.lt_u (local.get $op) (local.get $end))))))
    ;; the bias: one more float32 addition, as a separate add would round it
    (local.set $x (v128.load32_splat (local.get $bp)))
    (local.set $c00 (f32x4.add (local.get $c00) (local.get $x)))
    (local.set $c01 (f32x4.add (local.get $c01) (local.get $x)))
    (local.set $x (v128.load32_splat offset=4 (local.get $bp)))
    (local.set $c10 (f32x4.add (local.get $c10) (local.get $x)))
    (local.set $c11 (f32x4.add (local.get $c11) (local.get $x)))
    (local.set $x (v128.load32_splat offset=8 (local.get $bp)))
    (local.set $c20 (f32x4.add (local.get $c20) (local.get $x)))
    (local.set $c21 (f32x4.add (local.get $c21) (local.get $x)))
    (local.set $x (v128.load32_splat offset=12 (local.get $bp)))
    (local.set $c30 (f32x4.add (local.get $c30) (local.get $x)))
    (local.set $c31 (f32x4.add (local.get $c31) (local.get $x)))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31)))

  ;; The forward product of one image: C[o][y * $cols + x] (rows $ldc bytes apart, at least 8
  ;; floats longer than the output) = packed A ($blocks blocks of $height = 4 or 5 rows, $k
  ;; taps) x the windows at the $k byte offsets at $offsets, plus the biases at $bias, for the
  ;; $rows x $cols outputs of an image whose padded rows are $rowBytes apart. 8 outputs at a
  ;; time along a row; a row's last 8 may run into the next row, which is written after it.
  (func (export "conv") (param $a i32) (param $x i32) (param $offsets i32) (param $c i32)
    (param $bias i32) (param $blocks i32) (param $k i32) (param $rows i32) (param $cols i32)
    (param $rowBytes i32) (param $ldc i32) (param $height i32)
    (local $ib i32) (local $y i32) (local $x0 i32) (local $ap i32) (local $xp i32) (local $cp i32)
    (local $bp i32)
    (block $done
      (br_if $done (i32.eqz (local.get $blocks)))
      (br_if $done (i32.eqz (local.get $rows)))
      (br_if $done (i32.eqz (local.get $cols)))
      (loop $block
        (local.set $ap (i32.add (local.get $a)
          (i32.mul (local.get $ib) (i32.mul (local.get $k) (i32.shl (local.get $height) (i32.const 2))))))
        (local.set $bp (i32.add (local.get $bias)
          (i32.mul (local.get $ib) (i32.shl (local.get $height) (i32.const 2)))))
        (local.set $y (i32.const 0))
        (loop $row
          (local.set $x0 (i32.const 0))
          (loop $panel
            (local.set $xp (i32.add (local.get $x)
              (i32.add (i32.mul (local.get $y) (local.get $rowBytes)) (i32.shl (local.get $x0) (i32.const 2)))))
            (local.set $cp (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $ib) (i32.mul (local.get $ldc) (local.get $height)))
                (i32.shl (i32.add (i32.mul (local.get $y) (local.get $cols)) (local.get $x0)) (i32.const 2)))))
            (if (i32.eq (local.get $height) (i32.const 4))
              (then (call $tile4 (local.get $ap) (local.get $xp) (local.get $offsets) (local.get $cp)
                                 (local.get $ldc) (local.get $k) (local.get $bp)))
              (else (call $tile (local.get $ap) (local.get $xp) (local.get $offsets) (local.get $cp)
                                (local.get $ldc) (local.get $k) (local.get $bp))))
            (local.set $x0 (i32.add (local.get $x0) (i32.const 8)))
            (br_if $panel (i32.lt_u (local.get $x0) (local.get $cols))))
          (local.set $y (i32.add (local.get $y) (i32.const 1)))
          (br_if $row (i32.lt_u (local.get $y) (local.get $rows))))
        (local.set $ib (i32.add (local.get $ib) (i32.const 1)))
        (br_if $block (i32.lt_u (local.get $ib) (local.get $blocks))))))

  ;; The weight gradient's C[4 taps x 8 channels] at $c (row stride $ldc bytes) = sum over the
  ;; output positions of image[offsets[r] + t] x (the 8 channels' gradients there), images
  ;; after images, rows after rows: $images images ($imageBytes apart) of $rows rows of
  ;; $length positions, the image's rows $rowBytes apart; the 8 channels' gradients at a
  ;; position are the 32 bytes at $tp (positions in order, as `transpose8` writes them).
  (func $gradtile (param $xp i32) (param $op i32) (param $tp i32) (param $c i32) (param $ldc i32)
    (param $images i32) (param $imageBytes i32) (param $rows i32) (param $length i32)
    (param $rowBytes i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $n i32) (local $y i32) (local $e i32) (local $end i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $p0 (i32.add (local.get $xp) (i32.load (local.get $op))))
    (local.set $p1 (i32.add (local.get $xp) (i32.load offset=4 (local.get $op))))
    (local.set $p2 (i32.add (local.get $xp) (i32.load offset=8 (local.get $op))))
    (local.set $p3 (i32.add (local.get $xp) (i32.load offset=12 (local.get $op))))
    (block $done
      (br_if $done (i32.eqz (local.get $images)))
      (br_if $done (i32.eqz (local.get $rows)))
      (br_if $done (i32.eqz (local.get $length)))
      (loop $image
        (local.set $y (i32.const 0))
        (loop $row
          (local.set $e (i32.add (i32.mul (local.get $n) (local.get $imageBytes))
                                 (i32.mul (local.get $y) (local.get $rowBytes))))
          (local.set $end (i32.add (local.get $e) (i32.shl (local.get $length) (i32.const 2))))
          (loop $position
            (local.set $b0 (v128.load (local.get $tp)))
            (local.set $b1 (v128.load offset=16 (local.get $tp)))
            (local.set $x (v128.load32_splat (i32.add (local.get $p0) (local.get $e))))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat (i32.add (local.get $p1) (local.get $e))))
            (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat (i32.add (local.get $p2) (local.get $e))))
            (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat (i32.add (local.get $p3) (local.get $e))))
            (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $tp (i32.add (local.get $tp) (i32.const 32)))
            (local.set $e (i32.add (local.get $e) (i32.const 4)))
            (br_if $position (i32.lt_u (local.get $e) (local.get $end))))
          (local.set $y (i32.add (local.get $y) (i32.const 1)))
          (br_if $row (i32.lt_u (local.get $y) (local.get $rows))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $image (i32.lt_u (local.get $n) (local.get $images)))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31)))

  ;; The address of channel $l's gradient: $gp + min($l, $lanes - 1) * $gRowBytes.
  (func $lane (param $gp i32) (param $gRowBytes i32) (param $l i32) (param $lanes i32) (result i32)
    (i32.add (local.get $gp)
      (i32.mul (local.get $gRowBytes)
        (select (local.get $l) (i32.sub (local.get $lanes) (i32.const 1))
          (i32.lt_u (local.get $l) (local.get $lanes))))))

  ;; Interleaves 8 channels' gradients: the 8 floats of position t (images after images, each
  ;; $positions long) go to the 32 bytes at $t + 32 t. Channel l's gradient is at
  ;; $gp + l * $gRowBytes, its images $gImageBytes apart; channels past the last ($lanes of
  ;; them) repeat the last one (their sums are dropped). 4 positions at a time, as two 4 x 4
  ;; transposes. On the way, the 8 floats at $sums (and 16 bytes on) go on summing the 8
  ;; channels' gradients in float32, position after position: the bias gradient.
  (func $transpose8 (param $gp i32) (param $t i32) (param $lanes i32) (param $gRowBytes i32)
    (param $gImageBytes i32) (param $images i32) (param $positions i32) (param $sums i32)
    (local $q0 i32) (local $q1 i32) (local $q2 i32) (local $q3 i32)
    (local $q4 i32) (local $q5 i32) (local $q6 i32) (local $q7 i32)
    (local $n i32) (local $e i32) (local $end i32) (local $whole i32) (local $l i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $low v128) (local $high v128) (local $v0 v128) (local $v1 v128) (local $v2 v128)
    (local $v3 v128)
    (local.set $low (v128.load (local.get $sums)))
    (local.set $high (v128.load offset=16 (local.get $sums)))
    (local.set $q0 (local.get $gp))
    (local.set $q1 (call $lane (local.get $gp) (local.get $gRowBytes) (i32.const 1) (local.get $lanes)))
    (local.set $q2 (call $lane (local.get $gp) (local.get $gRowBytes) (i32.const 2) (local.get $lanes)))
    (local.set $q3 (call $lane (local.get $gp) (local.get $gRowBytes) (i32.const 3) (local.get $lanes)))
    (local.set $q4 (call $lane (local.get $gp) (local.get $gRowBytes) (i32.const 4) (local.get $lanes)))
    (local.set $q5 (call $lane (local.get $gp) (local.get $gRowBytes) (i32.const 5) (local.get $lanes)))
    (local.set $q6 (call $lane (local.get $gp) (local.get $gRowBytes) (i32.const 6) (local.get $lanes)))
    (local.set $q7 (call $lane (local.get $gp) (local.get $gRowBytes) (i32.const 7) (local.get $lanes)))
    (local.set $whole (i32.shl (i32.and (local.get $positions) (i32.const -4)) (i32.const 2)))
    (block $done
      (br_if $done (i32.eqz (local.get $images)))
      (loop $image
        (local.set $e (i32.mul (local.get $n) (local.get $gImageBytes)))
        (local.set $end (i32.add (local.get $e) (local.get $whole)))
        (block $four
          (br_if $four (i32.ge_u (local.get $e) (local.get $end)))
          (loop $group
            ;; channels 0-3, then 4-7: rows of 4 positions become columns
            (local.set $r0 (v128.load (i32.add (local.get $q0) (local.get $e))))
            (local.set $r1 (v128.load (i32.add (local.get $q1) (local.get $e))))
            (local.set $r2 (v128.load (i32.add (local.get $q2) (local.get $e))))
            (local.set $r3 (v128.load (i32.add (local.get $q3) (local.get $e))))
            (local.set $s0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
            (local.set $s1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
            (local.set $s2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
            (local.set $s3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
            (local.set $v0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s2)))
            (local.set $v1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s2)))
            (local.set $v2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s1) (local.get $s3)))
            (local.set $v3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s1) (local.get $s3)))
            (v128.store (local.get $t) (local.get $v0))
            (v128.store offset=32 (local.get $t) (local.get $v1))
            (v128.store offset=64 (local.get $t) (local.get $v2))
            (v128.store offset=96 (local.get $t) (local.get $v3))
            (local.set $low (f32x4.add (f32x4.add (f32x4.add (f32x4.add (local.get $low) (local.get $v0))
              (local.get $v1)) (local.get $v2)) (local.get $v3)))
            (local.set $r0 (v128.load (i32.add (local.get $q4) (local.get $e))))
            (local.set $r1 (v128.load (i32.add (local.get $q5) (local.get $e))))
            (local.set $r2 (v128.load (i32.add (local.get $q6) (local.get $e))))
            (local.set $r3 (v128.load (i32.add (local.get $q7) (local.get $e))))
            (local.set $s0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
            (local.set $s1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
            (local.set $s2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
            (local.set $s3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
            (local.set $v0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s2)))
            (local.set $v1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s2)))
            (local.set $v2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s1) (local.get $s3)))
            (local.set $v3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s1) (local.get $s3)))
            (v128.store offset=16 (local.get $t) (local.get $v0))
            (v128.store offset=48 (local.get $t) (local.get $v1))
            (v128.store offset=80 (local.get $t) (local.get $v2))
            (v128.store offset=112 (local.get $t) (local.get $v3))
            (local.set $high (f32x4.add (f32x4.add (f32x4.add (f32x4.add (local.get $high) (local.get $v0))
              (local.get $v1)) (local.get $v2)) (local.get $v3)))
            (local.set $t (i32.add (local.get $t) (i32.const 128)))
            (local.set $e (i32.add (local.get $e) (i32.const 16)))
            (br_if $group (i32.lt_u (local.get $e) (local.get $end)))))
        ;; the last positions % 4, one float at a time
        (local.set $end (i32.add (i32.mul (local.get $n) (local.get $gImageBytes))
                                 (i32.shl (local.get $positions) (i32.const 2))))
        (block $tail
          (br_if $tail (i32.ge_u (local.get $e) (local.get $end)))
          (loop $one
            (local.set $l (i32.const 0))
            (loop $channel
              (f32.store (i32.add (local.get $t) (i32.shl (local.get $l) (i32.const 2)))
                (f32.load (i32.add (local.get $e)
                  (call $lane (local.get $gp) (local.get $gRowBytes) (local.get $l) (local.get $lanes)))))
              (local.set $l (i32.add (local.get $l) (i32.const 1)))
              (br_if $channel (i32.lt_u (local.get $l) (i32.const 8))))
            (local.set $low (f32x4.add (local.get $low) (v128.load (local.get $t))))
            (local.set $high (f32x4.add (local.get $high) (v128.load offset=16 (local.get $t))))
            (local.set $t (i32.add (local.get $t) (i32.const 32)))
            (local.set $e (i32.add (local.get $e) (i32.const 4)))
            (br_if $one (i32.lt_u (local.get $e) (local.get $end)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $image (i32.lt_u (local.get $n) (local.get $images)))))
    (v128.store (local.get $sums) (local.get $low))
    (v128.store offset=16 (local.get $sums) (local.get $high)))

  ;; The weight gradient, transposed: C[taps x channels] (row-major, ldc = 32 * $panels bytes;
  ;; $blocks blocks of 4 taps whose byte offsets, padded to whole blocks, are at $offsets) =
  ;; sum over the positions of the images at $x of their windows x the gradient of $channels
  ;; channels at $g (channel rows $gRowBytes apart, images $gImageBytes apart, $rows x $length
  ;; positions each). Each panel of 8 channels is first interleaved at $t (32 bytes a position),
  ;; its gradients summed on into the 8 floats at $sums + 32 * panel.
  (func (export "convgrad") (param $x i32) (param $offsets i32) (param $g i32) (param $c i32)
    (param $blocks i32) (param $channels i32) (param $gRowBytes i32) (param $gImageBytes i32)
    (param $images i32) (param $imageBytes i32) (param $rows i32) (param $length i32)
    (param $rowBytes i32) (param $t i32) (param $sums i32)
    (local $ldc i32) (local $panels i32) (local $jp i32) (local $ib i32)
    (local.set $panels (i32.shr_u (i32.add (local.get $channels) (i32.const 7)) (i32.const 3)))
    (local.set $ldc (i32.shl (local.get $panels) (i32.const 5)))
    (block $done
      (br_if $done (i32.eqz (local.get $blocks)))
      (br_if $done (i32.eqz (local.get $panels)))
      (loop $panel
        (call $transpose8
          (i32.add (local.get $g) (i32.mul (i32.shl (local.get $jp) (i32.const 3)) (local.get $gRowBytes)))
          (local.get $t)
          (i32.sub (local.get $channels) (i32.shl (local.get $jp) (i32.const 3)))
          (local.get $gRowBytes) (local.get $gImageBytes) (local.get $images)
          (i32.mul (local.get $rows) (local.get $length))
          (i32.add (local.get $sums) (i32.shl (local.get $jp) (i32.const 5))))
        (local.set $ib (i32.const 0))
        (loop $block
          (call $gradtile
            (local.get $x)
            (i32.add (local.get $offsets) (i32.shl (local.get $ib) (i32.const 4)))
            (local.get $t)
            (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $ib) (i32.shl (local.get $ldc) (i32.const 2)))
                       (i32.shl (local.get $jp) (i32.const 5))))
            (local.get $ldc)
            (local.get $images) (local.get $imageBytes) (local.get $rows) (local.get $length)
            (local.get $rowBytes))
          (local.set $ib (i32.add (local.get $ib) (i32.const 1)))
          (br_if $block (i32.lt_u (local.get $ib) (local.get $blocks))))
        (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
        (br_if $panel (i32.lt_u (local.get $jp) (local.get $panels))))))

  ;; Zero-pads $planes planes of $height x $width floats at $src (planes $planeBytes apart) into
  ;; planes of $rows x $columns floats at $dst (zeroed before, planes adjacent): row y of a plane
  ;; goes to row y + $top, its floats from column $x0 on ($length of them) to column
  ;; $x0 + $left. Rows that fall outside are dropped (negative padding crops).
  (func (export "pad") (param $src i32) (param $dst i32) (param $planes i32) (param $planeBytes i32)
    (param $height i32) (param $width i32) (param $rows i32) (param $columns i32)
    (param $top i32) (param $left i32) (param $x0 i32) (param $length i32)
    (local $p i32) (local $y i32) (local $from i32) (local $to i32)
    (block $done
      (br_if $done (i32.eqz (local.get $planes)))
      (br_if $done (i32.le_s (local.get $length) (i32.const 0)))
      (loop $plane
        (local.set $y (select (i32.sub (i32.const 0) (local.get $top)) (i32.const 0)
                              (i32.lt_s (local.get $top) (i32.const 0))))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_s (local.get $y) (local.get $height)))
            (br_if $rowsDone (i32.ge_s (i32.add (local.get $y) (local.get $top)) (local.get $rows)))
            (local.set $from (i32.add (i32.add (local.get $src) (i32.mul (local.get $p) (local.get $planeBytes)))
              (i32.shl (i32.add (i32.mul (local.get $y) (local.get $width)) (local.get $x0)) (i32.const 2))))
            (local.set $to (i32.add (local.get $dst)
              (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $p) (local.get $rows))
                                                  (i32.add (local.get $y) (local.get $top)))
                                         (local.get $columns))
                                (i32.add (local.get $x0) (local.get $left)))
                       (i32.const 2))))
            (memory.copy (local.get $to) (local.get $from) (i32.shl (local.get $length) (i32.const 2)))
            (local.set $y (i32.add (local.get $y) (i32.const 1)))
            (br $row)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $plane (i32.lt_u (local.get $p) (local.get $planes))))))

  ;; The activation of convolutional layers, on $n floats (a multiple of 4): relu
  ;; o = x > 0 || x is NaN ? x : 0 (NaN kept bit for bit, -0 becomes 0), as the TypeScript kernel.
  (func (export "relu") (param $o i32) (param $x i32) (param $n i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (local.set $v (v128.load (local.get $x)))
        (v128.store (local.get $o)
          (v128.and (local.get $v)
            (v128.or (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0))
                     (f32x4.ne (local.get $v) (local.get $v)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $o) (local.get $end))))))

  ;; relu's gradient on $n floats (a multiple of 4): o = y > 0 ? g : 0, y relu's result.
  (func (export "relugrad") (param $o i32) (param $g i32) (param $y i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (v128.store (local.get $o)
          (v128.and (v128.load (local.get $g))
                    (f32x4.gt (v128.load (local.get $y)) (v128.const f32x4 0 0 0 0))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $o) (local.get $end))))))

  ;; The gradient of that max pooling: each window's gradient (at $g) goes to the tap its
  ;; index (at $indices, flat within the plane) picked, 0 to the other three, written row pair
  ;; by row pair into $planes planes of $height x $width floats at $out (zeroed before: a last
  ;; odd row or column no window covers stays 0). The windows do not overlap, so this is the
  ;; scatter-add onto zeros, down to its signs: a gradient adds to +0, so -0 lands as +0.
  (func (export "maxpool2grad") (param $g i32) (param $indices i32) (param $out i32)
    (param $planes i32) (param $height i32) (param $width i32) (param $outH i32) (param $outW i32)
    (local $p i32) (local $i i32) (local $j i32) (local $at i32) (local $rowBytes i32)
    (local $first v128) (local $grad v128) (local $picked v128) (local $below v128)
    (local $tl v128) (local $tr v128) (local $bl v128) (local $br v128)
    (local.set $rowBytes (i32.shl (local.get $width) (i32.const 2)))
    (local.set $below (i32x4.splat (local.get $width)))
    (block $done
      (br_if $done (i32.eqz (local.get $planes)))
      (br_if $done (i32.eqz (local.get $outH)))
      (br_if $done (i32.eqz (local.get $outW)))
      (loop $plane
        (local.set $i (i32.const 0))
        (loop $line
          (local.set $j (i32.const 0))
          (loop $group
            ;; the 4 windows' top-left taps: (2i) * width + 2j + (0, 2, 4, 6)
            (local.set $first (i32x4.add
              (i32x4.splat (i32.add (i32.mul (i32.shl (local.get $i) (i32.const 1)) (local.get $width))
                                    (i32.shl (local.get $j) (i32.const 1))))
              (v128.const i32x4 0 2 4 6)))
            (local.set $grad (f32x4.add (v128.load (local.get $g)) (v128.const f32x4 0 0 0 0)))
            (local.set $picked (v128.load (local.get $indices)))
            (local.set $tl (v128.and (local.get $grad) (i32x4.eq (local.get $picked) (local.get $first))))
            (local.set $tr (v128.and (local.get $grad)
              (i32x4.eq (local.get $picked) (i32x4.add (local.get $first) (v128.const i32x4 1 1 1 1)))))
            (local.set $first (i32x4.add (local.get $first) (local.get $below)))
            (local.set $bl (v128.and (local.get $grad) (i32x4.eq (local.get $picked) (local.get $first))))
            (local.set $br (v128.and (local.get $grad)
              (i32x4.eq (local.get $picked) (i32x4.add (local.get $first) (v128.const i32x4 1 1 1 1)))))
            (local.set $at (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (local.get $p) (i32.mul (local.get $height) (local.get $width)))
                                (i32.add (i32.mul (i32.shl (local.get $i) (i32.const 1)) (local.get $width))
                                         (i32.shl (local.get $j) (i32.const 1))))
                       (i32.const 2))))
            (v128.store (local.get $at) (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $tl) (local.get $tr)))
            (v128.store offset=16 (local.get $at) (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $tl) (local.get $tr)))
            (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
            (v128.store (local.get $at) (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $bl) (local.get $br)))
            (v128.store offset=16 (local.get $at) (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $bl) (local.get $br)))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (local.set $indices (i32.add (local.get $indices) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br_if $group (i32.lt_u (local.get $j) (local.get $outW))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $line (i32.lt_u (local.get $i) (local.get $outH))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $plane (i32.lt_u (local.get $p) (local.get $planes))))))

  ;; Max pooling with 2 x 2 windows 2 apart (no padding) over $planes planes of $height x
  ;; $width floats at $x: the maxima to $values and their flat positions within the plane
  ;; (int32) to $indices, 4 outputs at a time ($outW a multiple of 4). The taps are scanned in
  ;; torch's order (row by row): a tap replaces the maximum when it is greater or NaN, so ties
  ;; pick the first and a NaN wins. (The scan steps are written out: calls are not inlined.)
  (func (export "maxpool2") (param $x i32) (param $values i32) (param $indices i32)
    (param $planes i32) (param $height i32) (param $width i32) (param $outH i32) (param $outW i32)
    (local $p i32) (local $i i32) (local $j i32) (local $row i32) (local $at i32)
    (local $a v128) (local $b v128) (local $max v128) (local $first v128) (local $rowBytes i32)
    (local $v v128) (local $mask v128) (local $best v128) (local $below v128) (local $belowRight v128)
    (local.set $rowBytes (i32.shl (local.get $width) (i32.const 2)))
    (local.set $below (i32x4.splat (local.get $width)))
    (local.set $belowRight (i32x4.splat (i32.add (local.get $width) (i32.const 1))))
    (block $done
      (br_if $done (i32.eqz (local.get $planes)))
      (br_if $done (i32.eqz (local.get $outH)))
      (br_if $done (i32.eqz (local.get $outW)))
      (loop $plane
        (local.set $i (i32.const 0))
        (loop $line
          ;; the first input row of this output row, in bytes from $x
          (local.set $row (i32.add (local.get $x)
            (i32.shl (i32.add (i32.mul (local.get $p) (i32.mul (local.get $height) (local.get $width)))
                              (i32.mul (i32.shl (local.get $i) (i32.const 1)) (local.get $width)))
                     (i32.const 2))))
          (local.set $j (i32.const 0))
          (loop $group
            (local.set $at (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))
            ;; positions of the 4 windows' first taps: (2i) * width + 2j + (0, 2, 4, 6)
            (local.set $first (i32x4.add
              (i32x4.splat (i32.add (i32.mul (i32.shl (local.get $i) (i32.const 1)) (local.get $width))
                                    (i32.shl (local.get $j) (i32.const 1))))
              (v128.const i32x4 0 2 4 6)))
            (local.set $a (v128.load (local.get $at)))
            (local.set $b (v128.load offset=16 (local.get $at)))
            ;; the first tap is the maximum so far (a NaN or -inf included)
            (local.set $max (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a) (local.get $b)))
            (local.set $best (local.get $first))
            (local.set $v (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a) (local.get $b)))
            (local.set $mask (v128.or (f32x4.gt (local.get $v) (local.get $max))
                                      (f32x4.ne (local.get $v) (local.get $v))))
            (local.set $best (v128.bitselect (i32x4.add (local.get $first) (v128.const i32x4 1 1 1 1)) (local.get $best) (local.get $mask)))
            (local.set $max (v128.bitselect (local.get $v) (local.get $max) (local.get $mask)))
            (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
            (local.set $a (v128.load (local.get $at)))
            (local.set $b (v128.load offset=16 (local.get $at)))
            (local.set $v (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a) (local.get $b)))
            (local.set $mask (v128.or (f32x4.gt (local.get $v) (local.get $max))
                                      (f32x4.ne (local.get $v) (local.get $v))))
            (local.set $best (v128.bitselect (i32x4.add (local.get $first) (local.get $below)) (local.get $best) (local.get $mask)))
            (local.set $max (v128.bitselect (local.get $v) (local.get $max) (local.get $mask)))
            (local.set $v (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a) (local.get $b)))
            (local.set $mask (v128.or (f32x4.gt (local.get $v) (local.get $max))
                                      (f32x4.ne (local.get $v) (local.get $v))))
            (local.set $best (v128.bitselect (i32x4.add (local.get $first) (local.get $belowRight)) (local.get $best) (local.get $mask)))
            (local.set $max (v128.bitselect (local.get $v) (local.get $max) (local.get $mask)))
            (v128.store (local.get $values) (local.get $max))
            (v128.store (local.get $indices) (local.get $best))
            (local.set $values (i32.add (local.get $values) (i32.const 16)))
            (local.set $indices (i32.add (local.get $indices) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br_if $group (i32.lt_u (local.get $j) (local.get $outW))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $line (i32.lt_u (local.get $i) (local.get $outH))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $plane (i32.lt_u (local.get $p) (local.get $planes))))))
)
