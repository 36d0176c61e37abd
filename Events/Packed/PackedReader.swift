/// Reads what `PackedWriter` writes. Every read checks the bytes left first
/// and returns nil at the first one that is not what the writer would have
/// written there, so damaged bytes give no value rather than a trap; a
/// shard's seal stops most damage before this, and this stops the rest.
/// Its generic readers live beside their callers, as `PackedWriter`'s do.
package struct PackedReader {
    package let bytes: UnsafeRawBufferPointer
    // Settable within the module for the inlinable readers below, which
    // callers in other modules copy in (see `PackedWriter`'s primitives).
    @usableFromInline package internal(set) var offset = 0

    package init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inlinable
    package var atEnd: Bool { offset == bytes.count }
    @inlinable
    package var bytesLeft: Int { bytes.count - offset }

    @inlinable
    package mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// At most ten bytes, and only the shortest form: the writer never pads.
    @inlinable
    package mutating func unsigned() -> UInt64? {
        // Most numbers here (counts, lengths, choices) are one byte: read so
        // without the loop.
        if offset < bytes.count, bytes[offset] < 0x80 {
            defer { offset += 1 }
            return UInt64(bytes[offset])
        }
        var value: UInt64 = 0
        var shift: UInt64 = 0
        // Bounded: at most ten bytes are read.
        for _ in 0..<10 {
            guard let next = byte() else { return nil }
            let bits = UInt64(next & 0x7F)
            guard shift < 63 || bits <= 1 else { return nil }  // past 64 bits
            value |= bits << shift
            if next & 0x80 == 0 {
                guard next != 0 || shift == 0 else { return nil }  // a padded form
                return value
            }
            shift += 7
        }
        return nil
    }

    /// A count or seq: at most `Int.max`.
    @inlinable
    package mutating func count() -> Int? {
        guard let value = unsigned(), value <= UInt64(Int.max) else { return nil }
        return Int(value)
    }

    @inlinable
    package mutating func signed() -> Int64? {
        guard let zigzag = unsigned() else { return nil }
        return Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1)))
    }

    @inlinable
    package mutating func signedInt() -> Int? { signed().map(Int.init) }

    /// A string's bytes: its count, then that many bytes, if there are.
    @usableFromInline
    mutating func text() -> UnsafeRawBufferPointer? {
        guard let count = count(), count <= bytesLeft else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    /// Valid UTF-8 only: the writer writes a Swift string's own bytes.
    @inlinable
    package mutating func string() -> String? {
        guard let text = text() else { return nil }
        if Self.isASCII(text) { return String(decoding: text, as: UTF8.self) }
        return String(validating: text, as: UTF8.self)
    }

    /// An id, checked on its bytes before a string is made of them: checking
    /// the string after, through its UTF-8 view, was a fifth of reading a shard.
    @inlinable
    package mutating func id() -> Identifier? {
        idBytes().map { Identifier(checked: String(decoding: $0, as: UTF8.self)) }
    }

    /// An id's bytes, checked as `id()` checks them, without making it.
    @inlinable
    package mutating func idBytes() -> UnsafeRawBufferPointer? {
        // An id is at most 64 bytes, so its length is one byte below 0x80: a
        // first byte of 0x80 or more is a longer length or a padded one,
        // refused either way. (Through `text()` and `allSatisfy`, an id of
        // five bytes took 141 instructions, in callgrind.)
        guard offset < bytes.count else { return nil }
        let length = Int(bytes[offset])
        let start = offset + 1
        guard length > 0, length <= Identifier.maxLength, length <= bytes.count - start else { return nil }
        for index in start..<(start + length) where !Identifier.isIDByte(bytes[index]) { return nil }
        offset = start + length
        return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
    }

    /// A date on the checkpoint's day numbers (years far past 2999 included, as a notice's last day may be).
    @inlinable
    package mutating func date(days: ClosedRange<Int>) -> CalendarDate? {
        guard let day = signedInt(), days.contains(day) else { return nil }
        return CalendarDate(dayNumber: day)
    }

    /// Steps over `count` bytes, which the caller has checked are left.
    @inlinable
    package mutating func skip(_ count: Int) {
        precondition(count >= 0 && count <= bytesLeft, "skipping only bytes that are there")
        offset += count
    }

    /// A list's count, if no more than the bytes left could hold.
    @inlinable
    package mutating func listCount() -> Int? {
        guard let count = count(), count <= bytesLeft else { return nil }
        return count
    }

    /// Room to reserve for a list of `count`: every element takes a byte
    /// here but many in memory, so a damaged count is not trusted with more
    /// than a few thousand elements' worth before they are read.
    @inlinable
    package static func room(for count: Int) -> Int { min(count, 4096) }

    @usableFromInline
    static func isASCII(_ text: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        // Eight bytes at a time: most strings here are ids and short names.
        while index + 8 <= text.count {
            if text.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < text.count {
            if text[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }
}
