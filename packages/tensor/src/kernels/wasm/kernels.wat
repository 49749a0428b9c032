;; WebAssembly SIMD kernels of @x/tensor. `generate.mjs` (wabt) assembles this file into
;; `kernels-wasm.ts`; edit here, then run `node src/kernels/wasm/generate.mjs` in packages/tensor.
;;
;; Float32 matrix product C = A x B on packed, zero-padded operands in this module's memory:
;;   packed A: for each block of 5 rows, k groups of 5 floats (a[i0][p], a[i0+1][p], ...)
;;   packed B: for each panel of 8 columns, k groups of 8 floats (b[p][j0], ..., b[p][j0+7])
;;   C: row-major with ldc = 8 * panels floats (rows padded to whole panels).
;; Each output element is the float32 sum over p = 0, 1, ..., k-1 of float32 products, rounded
;; after every multiply and every add (no FMA): the order of a scalar loop that accumulates in
;; float32, independent of the tile an element falls in.
(module
  (import "env" "memory" (memory 1))

  ;; C[5 x 8] at $c (row stride $ldc bytes) = sum over $k steps of A5[p] x B8[p]. Five rows of
  ;; two vectors keep 10 accumulators + 3 operands in registers (16 on x64); 6 rows spill.
  (func $tile (param $ap i32) (param $bp i32) (param $c i32) (param $ldc i32) (param $k i32)
    (local $end i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $c40 v128) (local $c41 v128)
    (local.set $end (i32.add (local.get $bp) (i32.shl (local.get $k) (i32.const 5))))
    (if (local.get $k)
      (then
        (loop $p
          (local.set $b0 (v128.load (local.get $bp)))
          (local.set $b1 (v128.load offset=16 (local.get $bp)))
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
          (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
          (br_if $p (i32.lt_u (local.get $bp) (local.get $end))))))
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

  ;; C = A x B for packed A ($blocks blocks of 5 rows) and packed B ($panels panels of 8 columns).
  (func (export "sgemm") (param $a i32) (param $b i32) (param $c i32)
    (param $blocks i32) (param $panels i32) (param $k i32)
    (local $ldc i32) (local $jp i32) (local $ib i32) (local $bp i32)
    (local.set $ldc (i32.shl (local.get $panels) (i32.const 5)))
    (block $done
      (br_if $done (i32.eqz (local.get $blocks)))
      (br_if $done (i32.eqz (local.get $panels)))
      (loop $panel
        (local.set $bp (i32.add (local.get $b) (i32.mul (local.get $jp) (i32.shl (local.get $k) (i32.const 5)))))
        (local.set $ib (i32.const 0))
        (loop $block
          (call $tile
            (i32.add (local.get $a) (i32.mul (local.get $ib) (i32.mul (local.get $k) (i32.const 20))))
            (local.get $bp)
            (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $ib) (i32.mul (local.get $ldc) (i32.const 5)))
                       (i32.shl (local.get $jp) (i32.const 5))))
            (local.get $ldc)
            (local.get $k))
          (local.set $ib (i32.add (local.get $ib) (i32.const 1)))
          (br_if $block (i32.lt_u (local.get $ib) (local.get $blocks))))
        (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
        (br_if $panel (i32.lt_u (local.get $jp) (local.get $panels))))))

  ;; Packs A (m x k, element (i, p) at $src + i * $rs + p * $cs bytes) into 5-row blocks at
  ;; $dst; the rows from m up to 5 * blocks are zeros.
  (func (export "packa") (param $src i32) (param $dst i32) (param $m i32) (param $k i32)
    (param $blocks i32) (param $rs i32) (param $cs i32)
    (local $i i32) (local $r i32) (local $p i32) (local $s i32) (local $d i32) (local $block i32)
    (block $done
      (br_if $done (i32.eqz (local.get $k)))
      (br_if $done (i32.eqz (local.get $blocks)))
      (loop $blocks
        (local.set $r (i32.const 0))
        (loop $rows
          ;; element (i, p) of row r of this block goes to block + p * 20 + r * 4
          (local.set $d (i32.add (local.get $block) (i32.shl (local.get $r) (i32.const 2))))
          (local.set $s (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $rs))))
          (local.set $p (i32.const 0))
          (if (i32.lt_u (local.get $i) (local.get $m))
            (then
              (loop $copy
                (f32.store (i32.add (local.get $dst) (local.get $d)) (f32.load (local.get $s)))
                (local.set $s (i32.add (local.get $s) (local.get $cs)))
                (local.set $d (i32.add (local.get $d) (i32.const 20)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br_if $copy (i32.lt_u (local.get $p) (local.get $k)))))
            (else
              (loop $zero
                (f32.store (i32.add (local.get $dst) (local.get $d)) (f32.const 0))
                (local.set $d (i32.add (local.get $d) (i32.const 20)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br_if $zero (i32.lt_u (local.get $p) (local.get $k))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br_if $rows (i32.lt_u (local.get $r) (i32.const 5))))
        (local.set $block (i32.add (local.get $block) (i32.mul (local.get $k) (i32.const 20))))
        (br_if $blocks (i32.lt_u (local.get $i) (i32.mul (local.get $blocks) (i32.const 5)))))))

  ;; Packs B (k x n, element (p, j) at $src + p * $rs + j * $cs bytes) into panels of 8 columns
  ;; at $dst; the columns from n up to the panel's end are zeros.
  (func (export "packb") (param $src i32) (param $dst i32) (param $k i32) (param $n i32)
    (param $rs i32) (param $cs i32)
    (local $j0 i32) (local $p i32) (local $c i32) (local $s i32) (local $d i32)
    (local.set $d (local.get $dst))
    (block $done
      (br_if $done (i32.eqz (local.get $k)))
      (loop $panel
        (br_if $done (i32.ge_u (local.get $j0) (local.get $n)))
        (local.set $s (i32.add (local.get $src) (i32.mul (local.get $j0) (local.get $cs))))
        (local.set $p (i32.const 0))
        (if (i32.and (i32.eq (local.get $cs) (i32.const 4))
                     (i32.le_u (i32.add (local.get $j0) (i32.const 8)) (local.get $n)))
          (then ;; a whole panel of contiguous columns: two vector copies per row
            (loop $rows
              (v128.store (local.get $d) (v128.load (local.get $s)))
              (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))
              (local.set $s (i32.add (local.get $s) (local.get $rs)))
              (local.set $d (i32.add (local.get $d) (i32.const 32)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $rows (i32.lt_u (local.get $p) (local.get $k)))))
          (else ;; strided or partial: element by element, zeros past column n
            (loop $rows
              (local.set $c (i32.const 0))
              (loop $columns
                (f32.store (local.get $d)
                  (if (result f32) (i32.lt_u (i32.add (local.get $j0) (local.get $c)) (local.get $n))
                    (then (f32.load (i32.add (local.get $s) (i32.mul (local.get $c) (local.get $cs)))))
                    (else (f32.const 0))))
                (local.set $d (i32.add (local.get $d) (i32.const 4)))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br_if $columns (i32.lt_u (local.get $c) (i32.const 8))))
              (local.set $s (i32.add (local.get $s) (local.get $rs)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $rows (i32.lt_u (local.get $p) (local.get $k))))))
        (local.set $j0 (i32.add (local.get $j0) (i32.const 8)))
        (br $panel))))

  ;; Elementwise float32 o[i] = a[i] (op) b[i] for n elements (n a multiple of 8). $sa / $sb
  ;; are the byte steps per 4 elements: 16 for a vector operand, 0 for a scalar stored 4 times.
  ;; IEEE float32 add, sub, mul and div round exactly like a float64 JS operation stored into a
  ;; Float32Array, so these give the TypeScript kernels' results bit for bit.
  (func (export "add") (param $o i32) (param $a i32) (param $b i32) (param $n i32)
    (param $sa i32) (param $sb i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (v128.store (local.get $o) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (v128.store offset=16 (local.get $o) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br_if $next (i32.lt_u (local.get $o) (local.get $end))))))

  (func (export "sub") (param $o i32) (param $a i32) (param $b i32) (param $n i32)
    (param $sa i32) (param $sb i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (v128.store (local.get $o) (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (v128.store offset=16 (local.get $o) (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br_if $next (i32.lt_u (local.get $o) (local.get $end))))))

  (func (export "mul") (param $o i32) (param $a i32) (param $b i32) (param $n i32)
    (param $sa i32) (param $sb i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (v128.store (local.get $o) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (v128.store offset=16 (local.get $o) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br_if $next (i32.lt_u (local.get $o) (local.get $end))))))

  (func (export "div") (param $o i32) (param $a i32) (param $b i32) (param $n i32)
    (param $sa i32) (param $sb i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (v128.store (local.get $o) (f32x4.div (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (v128.store offset=16 (local.get $o) (f32x4.div (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (local.get $sa)))
        (local.set $b (i32.add (local.get $b) (local.get $sb)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br_if $next (i32.lt_u (local.get $o) (local.get $end))))))
)
