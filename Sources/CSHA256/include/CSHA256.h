// SHA-256 block compression using the x86 SHA extensions (SHA-NI).
//
// Only the compression function lives here: padding, buffering and the
// portable implementation stay in Swift (Sources/Ledger/SHA256.swift), so
// this target is a pure accelerator that Swift may bypass at any time.

#ifndef ACCORD_CSHA256_H
#define ACCORD_CSHA256_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Nonzero when this CPU (and build) can run accord_sha256_compress.
int accord_sha256_has_shani(void);

/// Compresses `blockCount` consecutive 64-byte blocks into `state`
/// (h0...h7 in FIPS 180-4 order). `blocks` may be unaligned.
/// Precondition: accord_sha256_has_shani() returned nonzero; otherwise this
/// traps rather than silently leaving `state` untouched.
void accord_sha256_compress(uint32_t state[8], const uint8_t *blocks, size_t blockCount);

#ifdef __cplusplus
}
#endif

#endif
