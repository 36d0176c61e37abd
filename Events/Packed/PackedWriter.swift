/// Writes the packed layout of the checkpoint's shards: no member names, no
/// quotes, no digits. An append onto an empty ledger spent a fifth of its CPU
/// writing its shards as JSON text (25 MB for 100,000 records), and a later
/// append as much again reading them back; shards are a cache the ledger can
/// always rebuild, so they need not be text a person reads.
///
/// Whole numbers are LEB128 (seven bits a byte, low first), signed ones
/// zigzagged first; a string is its UTF-8 byte count, then its bytes; a
/// list is its count, then its elements. `PackedReader` reads it back.
///
/// Lists, optionals and enumerations are written by generics kept beside
/// their callers (`Packed+Generic.swift` in Projections): a generic
/// called from another module was not specialized, and fetched type
/// metadata at run time for every element.
package struct PackedWriter {
    package var bytes: [UInt8]

    package init(appendingTo bytes: inout [UInt8]) {
        self.bytes = []
        swap(&self.bytes, &bytes)
    }

    /// Gives the bytes back to the buffer they were taken from.
    package consuming func finish(into bytes: inout [UInt8]) {
        swap(&self.bytes, &bytes)
    }

    // The writing primitives are inlinable, so that a shard's writer, in
    // another module, need not call across for every number and string:
    // the primitives were a third of writing a save's shards.

    @inlinable
    package mutating func byte(_ value: UInt8) { bytes.append(value) }

    @inlinable
    package mutating func unsigned(_ value: UInt64) {
        // Most numbers written (counts, choices, small seqs) fit in one byte.
        if value < 0x80 {
            bytes.append(UInt8(value))
            return
        }
        Self.leb128(value) { bytes.append($0) }
    }

    /// `value`'s LEB128 bytes, low seven bits first, each but the last with its high bit set.
    @inlinable
    static func leb128(_ value: UInt64, _ emit: (UInt8) -> Void) {
        var rest = value
        // Bounded: seven bits leave `rest` each turn, so at most ten turns.
        while rest >= 0x80 {
            emit(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        emit(UInt8(rest))
    }

    /// A count or a seq, which is never negative.
    @inlinable
    package mutating func count(_ value: Int) {
        precondition(value >= 0, "a count or seq is never negative")
        unsigned(UInt64(value))
    }

    /// A count written before bytes already written from `offset` on, which
    /// move along to make room: a length, known only once what it measures is written.
    @inlinable
    package mutating func insertCount(_ value: Int, at offset: Int) {
        precondition(value >= 0 && offset >= 0 && offset <= bytes.count, "a count before bytes already written")
        var width = 0
        Self.leb128(UInt64(value)) { _ in width += 1 }
        bytes.insert(contentsOf: repeatElement(0, count: width), at: offset)
        var place = offset
        Self.leb128(UInt64(value)) { byte in
            bytes[place] = byte
            place += 1
        }
    }

    /// Zigzag: small magnitudes of either sign stay short.
    @inlinable
    package mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    @inlinable
    package mutating func signed(_ value: Int) { signed(Int64(value)) }

    @inlinable
    package mutating func string(_ value: String) {
        // A native string's bytes are read where they are; copying the
        // string to call `withUTF8` cost a retain and a release of each.
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
        guard written == nil else { return }
        var value = value
        value.withUTF8 { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    @inlinable
    package mutating func id(_ value: Identifier) { string(value.raw) }

    @inlinable
    package mutating func date(_ value: CalendarDate) { signed(value.dayNumber) }
}

/// An enumeration written as one byte, its place among its cases. The cases
/// are held once: `allCases` built a new array on every call.
package protocol PackedChoice: Equatable {
    static var packedCases: [Self] { get }
}

extension Decision: PackedChoice { package static let packedCases = allCases }
extension Alignment: PackedChoice { package static let packedCases = allCases }
extension Arrangement: PackedChoice { package static let packedCases = allCases }
extension Basis: PackedChoice { package static let packedCases = allCases }
extension Rating: PackedChoice { package static let packedCases = allCases }
extension CastingVote: PackedChoice { package static let packedCases = allCases }
