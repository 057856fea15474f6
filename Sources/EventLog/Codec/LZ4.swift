import CLZ4

/// The one place that touches liblz4: block compression against an optional shared dictionary.
///
/// A compressor keeps a pristine stream state with the dictionary loaded once (`LZ4_loadDict`
/// hashes 64 KiB, far too slow to repeat per event) and copies it into a scratch state before
/// each block, so every block is compressed against the dictionary alone and can be decoded
/// independently with `LZ4_decompress_safe_usingDict`.
struct LZ4Compressor: ~Copyable {
    private let dictionary: UnsafeMutableRawBufferPointer
    private let pristine: UnsafeMutablePointer<LZ4_stream_t>
    private let scratch: UnsafeMutablePointer<LZ4_stream_t>
    private var output: [UInt8]

    /// Creates a compressor for blocks compressed against `dictionary` (empty for none).
    init(dictionary: [UInt8]) {
        // liblz4 keeps a pointer to the dictionary, so it lives in memory this compressor owns.
        self.dictionary = .allocate(byteCount: dictionary.count, alignment: 16)
        self.dictionary.copyBytes(from: dictionary)
        self.pristine = .allocate(capacity: 1)
        self.scratch = .allocate(capacity: 1)
        self.output = []
        LZ4_initStream(self.pristine, MemoryLayout<LZ4_stream_t>.size)
        LZ4_initStream(self.scratch, MemoryLayout<LZ4_stream_t>.size)
        if !dictionary.isEmpty {
            _ = LZ4_loadDict(
                self.pristine, self.dictionary.baseAddress?.assumingMemoryBound(to: CChar.self),
                Int32(self.dictionary.count))
        }
    }

    deinit {
        self.dictionary.deallocate()
        self.pristine.deallocate()
        self.scratch.deallocate()
    }

    /// Compresses `input` into a block, or returns nil when the block would not be smaller.
    mutating func compress(_ input: UnsafeRawBufferPointer) -> ArraySlice<UInt8>? {
        let bound = Int(LZ4_compressBound(Int32(input.count)))
        if self.output.count < bound { self.output = [UInt8](repeating: 0, count: bound) }
        let pristine = self.pristine
        let scratch = self.scratch
        let withDictionary = !self.dictionary.isEmpty
        let written: Int32 = self.output.withUnsafeMutableBytes { out in
            let src = input.baseAddress?.assumingMemoryBound(to: CChar.self)
            let dst = out.baseAddress?.assumingMemoryBound(to: CChar.self)
            guard withDictionary else {
                return LZ4_compress_default(src, dst, Int32(input.count), Int32(out.count))
            }
            scratch.update(from: pristine, count: 1)
            return LZ4_compress_fast_continue(scratch, src, dst, Int32(input.count), Int32(out.count), 1)
        }
        guard written > 0, Int(written) < input.count else { return nil }
        return self.output[0..<Int(written)]
    }
}

/// Decoding of LZ4 blocks, with or without a dictionary.
enum LZ4 {
    /// Decompresses `block` into exactly `originalSize` bytes, or returns nil when the block is corrupt.
    static func decompress(
        _ block: UnsafeRawBufferPointer,
        originalSize: Int,
        dictionary: UnsafeRawBufferPointer?,
        into output: UnsafeMutableRawBufferPointer
    ) -> Bool {
        precondition(output.count >= originalSize)
        let src = block.baseAddress?.assumingMemoryBound(to: CChar.self)
        let dst = output.baseAddress?.assumingMemoryBound(to: CChar.self)
        let read: Int32
        if let dictionary, dictionary.count > 0 {
            read = LZ4_decompress_safe_usingDict(
                src, dst, Int32(block.count), Int32(originalSize),
                dictionary.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(dictionary.count))
        } else {
            read = LZ4_decompress_safe(src, dst, Int32(block.count), Int32(originalSize))
        }
        return Int(read) == originalSize
    }
}
