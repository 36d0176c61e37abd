// SHA-256 compression with the x86 SHA extensions.
//
// Swift keeps the portable implementation; this file exists only because the
// SHA-NI instructions are not reachable from Swift. Everything outside
// `#if defined(__x86_64__)` is the stub other architectures compile.

#include "CSHA256.h"

#if defined(__x86_64__)

#include <cpuid.h>
#include <immintrin.h>

int accord_sha256_has_shani(void) {
    unsigned int eax, ebx, ecx, edx;
    // The SHA-NI path also leans on SSSE3 (byte shuffle, alignr) and SSE4.1
    // (blend); every SHA-capable CPU has them, but checking costs nothing and
    // keeps a misreporting hypervisor from turning into SIGILL.
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int ssse3 = 1u << 9, sse41 = 1u << 19;
    if ((ecx & ssse3) == 0 || (ecx & sse41) == 0) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx >> 29) & 1;
}

static const uint32_t roundConstants[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// Helpers must carry the same target features as their caller to be inlined.
#define SHA_HELPER __attribute__((target("sha,sse4.1"), always_inline)) static inline

// Four rounds: SHA256RNDS2 does two, reading W+K from the low half of its
// third operand, so the high half is moved down for the second call. Each
// call's output is the new {A,B,E,F}; the old {A,B,E,F} is by definition the
// new {C,D,G,H}, which is why the two state registers swap roles.
SHA_HELPER void fourRounds(__m128i *abef, __m128i *cdgh, __m128i words, int group) {
    __m128i wk = _mm_add_epi32(words, _mm_load_si128((const __m128i *)&roundConstants[group * 4]));
    *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
    *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(wk, 0x0e));
}

// W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16] for the next four t,
// from the previous sixteen words in four registers (oldest first). MSG1
// supplies the s0 terms, alignr the W[t-7] window, and MSG2 the s1 terms,
// which for the upper two lanes depend on the lanes MSG2 itself produces.
SHA_HELPER __m128i nextWords(__m128i w16, __m128i w12, __m128i w8, __m128i w4) {
    __m128i partial = _mm_add_epi32(_mm_sha256msg1_epu32(w16, w12), _mm_alignr_epi8(w4, w8, 4));
    return _mm_sha256msg2_epu32(partial, w4);
}

__attribute__((target("sha,sse4.1")))
static void compressShaNI(uint32_t state[8], const uint8_t *blocks, size_t blockCount) {
    // The instructions want the state split as {A,B,E,F} and {C,D,G,H}, with
    // A and C in the top lanes; FIPS order in memory is a...h, low lane first.
    // Temporaries are named by their lanes, lowest first.
    __m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i badc = _mm_shuffle_epi32(abcd, 0xb1);
    __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1b);
    __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);
    __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xf0);

    // Message words are big-endian; reverse the bytes within each 32-bit lane.
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);

    for (size_t block = 0; block < blockCount; block++) {
        const __m128i *p = (const __m128i *)(blocks + block * 64);
        const __m128i savedAbef = abef, savedCdgh = cdgh;

        // Named registers rather than an array: the schedule only ever needs
        // the last sixteen words, and an array indexed modulo 4 stays in
        // registers only if the compiler happens to unroll fully.
        __m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128(p + 0), byteSwap);
        __m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128(p + 1), byteSwap);
        __m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128(p + 2), byteSwap);
        __m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128(p + 3), byteSwap);
        fourRounds(&abef, &cdgh, m0, 0);
        fourRounds(&abef, &cdgh, m1, 1);
        fourRounds(&abef, &cdgh, m2, 2);
        fourRounds(&abef, &cdgh, m3, 3);
        for (int group = 4; group < 16; group += 4) {
            m0 = nextWords(m0, m1, m2, m3);
            fourRounds(&abef, &cdgh, m0, group);
            m1 = nextWords(m1, m2, m3, m0);
            fourRounds(&abef, &cdgh, m1, group + 1);
            m2 = nextWords(m2, m3, m0, m1);
            fourRounds(&abef, &cdgh, m2, group + 2);
            m3 = nextWords(m3, m0, m1, m2);
            fourRounds(&abef, &cdgh, m3, group + 3);
        }

        abef = _mm_add_epi32(abef, savedAbef);
        cdgh = _mm_add_epi32(cdgh, savedCdgh);
    }

    __m128i abefInOrder = _mm_shuffle_epi32(abef, 0x1b);
    __m128i ghcd = _mm_shuffle_epi32(cdgh, 0xb1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(abefInOrder, ghcd, 0xf0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(ghcd, abefInOrder, 8));
}

void accord_sha256_compress(uint32_t state[8], const uint8_t *blocks, size_t blockCount) {
    compressShaNI(state, blocks, blockCount);
}

#else

int accord_sha256_has_shani(void) { return 0; }

void accord_sha256_compress(uint32_t state[8], const uint8_t *blocks, size_t blockCount) {
    (void)state; (void)blocks; (void)blockCount;
    // Reaching here means a caller skipped accord_sha256_has_shani(); a hash
    // that quietly never changed would be far worse than a crash.
    __builtin_trap();
}

#endif
