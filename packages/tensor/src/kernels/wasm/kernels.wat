;; WebAssembly SIMD kernels of @x/tensor. Assembled by generate.mjs (wabt) into kernels-wasm.ts.
;; Edit this file, then run `node src/kernels/wasm/generate.mjs` in packages/tensor.
;;
;; Float32 matrix product on packed, zero-padded operands (the packing is done in TypeScript):
;;   A panel layout: for each block of 4 rows, k groups of 4 floats  (a[i0..i0+3][p])
;;   B panel layout: for each panel of 8 columns, k groups of 8 floats (b[p][j0..j0+7])
;;   C: row-major, ldc = 8 * panels floats, every row padded to whole panels.
;; Each output element is the float32 sum over p in increasing order of float32 products,
;; rounded after every multiply and every add (no FMA): the same order as a scalar loop
;; accumulating in float32.
(module
  (import "env" "memory" (memory 1))

  ;; C[4 x 8] at $c (row stride $ldc bytes) = sum over $k steps of A4[p] x B8[p].
  (func $tile (param $ap i32) (param $bp i32) (param $c i32) (param $ldc i32) (param $k i32)
    (local $end i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
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
          (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
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
    (v128.store offset=16 (local.get $c) (local.get $c31)))

  ;; C = A x B for packed A ($blocks blocks of 4 rows) and packed B ($panels panels of 8 columns).
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
            (i32.add (local.get $a) (i32.mul (local.get $ib) (i32.shl (local.get $k) (i32.const 4))))
            (local.get $bp)
            (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $ib) (i32.shl (local.get $ldc) (i32.const 2)))
                       (i32.shl (local.get $jp) (i32.const 5))))
            (local.get $ldc)
            (local.get $k))
          (local.set $ib (i32.add (local.get $ib) (i32.const 1)))
          (br_if $block (i32.lt_u (local.get $ib) (local.get $blocks))))
        (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
        (br_if $panel (i32.lt_u (local.get $jp) (local.get $panels))))))
)
