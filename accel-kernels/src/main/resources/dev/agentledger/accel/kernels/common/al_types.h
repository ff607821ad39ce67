/*
 * al_types.h: the few macros that let one header of field and hash functions compile as
 * OpenCL C (PoCL, GPU drivers), as CUDA C (nvcc, device code) and as plain C (gcc, host build
 * used by the FFM test that checks the CUDA arithmetic without a GPU).
 *
 *   AL_FN        storage/qualifiers of a shared helper function (inlined)
 *   AL_FN_CALL   the same for large helpers that should stay calls on CUDA
 *   AL_GLOBAL    address space of kernel-argument buffers (__global in OpenCL, empty elsewhere)
 *   AL_CONSTANT  read-only tables (__constant in OpenCL, __constant__ in CUDA, static const in C)
 *
 * Shared helpers take private (register/stack) pointers only, except where AL_GLOBAL says so.
 */
#ifndef AL_TYPES_H
#define AL_TYPES_H

#if defined(__OPENCL_VERSION__)
typedef uchar al_u8;
typedef uint al_u32;
typedef ulong al_u64;
#define AL_FN static inline
#define AL_FN_CALL static inline
#define AL_GLOBAL __global
#define AL_CONSTANT __constant
#define AL_UNROLL _Pragma("unroll")
#elif defined(__CUDACC__)
typedef unsigned char al_u8;
typedef unsigned int al_u32;
typedef unsigned long long al_u64;
#define AL_FN static __device__ __forceinline__
/* Large helpers stay real calls on CUDA: inlining ~4,000 field multiplications per kernel makes
 * ptxas take minutes and blows the instruction cache for no gain. */
#define AL_FN_CALL static __device__ __noinline__
#define AL_GLOBAL
#define AL_CONSTANT static __constant__ const
#define AL_UNROLL _Pragma("unroll")
#else
#include <stdint.h>
typedef uint8_t al_u8;
typedef uint32_t al_u32;
typedef uint64_t al_u64;
#define AL_FN static inline
#define AL_FN_CALL static inline
#define AL_GLOBAL
#define AL_CONSTANT static const
#define AL_UNROLL
#endif

#endif
