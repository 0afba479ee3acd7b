import Foundation
import GRDB
import GRDBSQLite

/// `lsm_rank(fts, firstId, lastId, weight...)`: FTS5's bm25, with column weights, whose inverse
/// document frequencies are counted only up to `countedMatches` matches per phrase and estimated past
/// them from how far through the ids (`firstId` to `lastId`) those matches went.
///
/// FTS5's own bm25 counts every match of every phrase before it ranks a single row: a common word
/// of a million messages cost 150 ms there, however few rows the query then ranks.
///
/// `lsm_rank_data(fts, firstId, lastId)` returns what those counts gave (a blob of doubles: the
/// average row length, then each phrase's weight, then each phrase's matches), and `lsm_rank(fts,
/// data, 0, weight...)` ranks with it: a search that asks FTS5 for several id ranges of one query
/// counts once, and ranks exactly as one scan would.
enum SearchRank {
    static let name = "lsm_rank"
    static let dataName = "lsm_rank_data"
    /// Matches of a phrase counted exactly; a phrase with more is estimated.
    static let countedMatches: Int64 = 500

    /// Registers `lsm_rank` on the connection `db`.
    static func register(_ db: Database) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "closed database") }
        var statement: OpaquePointer?
        var code = sqlite3_prepare_v2(connection, "SELECT fts5(?)", -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "sqlite3_prepare_v2: SELECT fts5(?)")
        }
        defer { sqlite3_finalize(statement) }
        var api: UnsafeMutablePointer<fts5_api>?
        let type: StaticString = "fts5_api_ptr"
        type.utf8Start.withMemoryRebound(to: CChar.self, capacity: type.utf8CodeUnitCount) { type in
            _ = sqlite3_bind_pointer(statement, 1, &api, type, nil)
        }
        _ = sqlite3_step(statement)
        guard let api, let create = api.pointee.xCreateFunction else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "FTS5 is not available")
        }
        code = create(api, name, nil, rank, nil)
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "fts5 xCreateFunction") }
        code = create(api, dataName, nil, rankData, nil)
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "fts5 xCreateFunction") }
    }

    /// What a query's rows share: the average row length and each phrase's inverse document frequency.
    private final class QueryData {
        var averageLength = 1.0
        var idf: [Double] = []
        /// Each phrase's matches, counted or estimated.
        var matches: [Double] = []
        var frequencies: [Double] = []
    }

    private struct Counter {
        var matches: Int64 = 0
        var lastRowID: Int64 = 0
    }

    private static let rank: fts5_extension_function = { api, fts, context, count, values in
        guard let api = api?.pointee else { return }
        let code = SearchRank.score(api, fts, context, Int(count), values)
        if code != SQLITE_OK { sqlite3_result_error_code(context, code) }
    }

    private static let rankData: fts5_extension_function = { api, fts, context, count, values in
        guard let api = api?.pointee, count >= 2, let values else {
            sqlite3_result_error_code(context, SQLITE_MISUSE)
            return
        }
        let data = QueryData()
        let code = prepare(api, fts, data, firstID: sqlite3_value_int64(values[0]), lastID: sqlite3_value_int64(values[1]))
        guard code == SQLITE_OK else {
            sqlite3_result_error_code(context, code)
            return
        }
        let numbers = [data.averageLength] + data.idf + data.matches
        numbers.withUnsafeBytes { bytes in
            sqlite3_result_blob(context, bytes.baseAddress, Int32(bytes.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
    }

    /// Each phrase's matches (counted up to `countedMatches`, estimated past them) in the blob
    /// `lsm_rank_data` returned; `nil` if it is not one.
    static func phraseMatches(in blob: [UInt8]) -> [Double]? {
        guard blob.count >= 8, blob.count % 16 == 8 else { return nil }
        let phrases = (blob.count / 8 - 1) / 2
        return blob.withUnsafeBytes { raw in
            (0..<phrases).map { raw.loadUnaligned(fromByteOffset: (1 + phrases + $0) * 8, as: Double.self) }
        }
    }

    /// The query data `lsm_rank_data` returned, read back; `nil` if the blob is not one.
    private static func queryData(from value: OpaquePointer?) -> QueryData? {
        let size = Int(sqlite3_value_bytes(value))
        guard size >= MemoryLayout<Double>.size, size % (2 * MemoryLayout<Double>.size) == MemoryLayout<Double>.size,
            let bytes = sqlite3_value_blob(value)
        else {
            return nil
        }
        let raw = UnsafeRawBufferPointer(start: bytes, count: size)
        let numbers = (0..<size / MemoryLayout<Double>.size).map {
            raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<Double>.size, as: Double.self)
        }
        let data = QueryData()
        let phrases = (numbers.count - 1) / 2
        data.averageLength = numbers[0]
        data.idf = Array(numbers[1..<1 + phrases])
        data.matches = Array(numbers[(1 + phrases)...])
        data.frequencies = Array(repeating: 0, count: phrases)
        return data
    }

    private static func score(
        _ api: Fts5ExtensionApi, _ fts: OpaquePointer?, _ context: OpaquePointer?, _ count: Int,
        _ values: UnsafeMutablePointer<OpaquePointer?>?
    ) -> Int32 {
        guard count >= 2, let values else { return SQLITE_MISUSE }
        let data: QueryData
        if let stored = api.xGetAuxdata(fts, 0) {
            data = Unmanaged<QueryData>.fromOpaque(stored).takeUnretainedValue()
        } else {
            if sqlite3_value_type(values[0]) == SQLITE_BLOB {
                guard let given = queryData(from: values[0]), given.idf.count == Int(api.xPhraseCount(fts)) else { return SQLITE_MISUSE }
                data = given
            } else {
                data = QueryData()
                let code = prepare(api, fts, data, firstID: sqlite3_value_int64(values[0]), lastID: sqlite3_value_int64(values[1]))
                guard code == SQLITE_OK else { return code }
            }
            let release: @convention(c) (UnsafeMutableRawPointer?) -> Void = { pointer in
                if let pointer { Unmanaged<QueryData>.fromOpaque(pointer).release() }
            }
            let stored = api.xSetAuxdata(fts, Unmanaged.passRetained(data).toOpaque(), release)
            guard stored == SQLITE_OK else { return stored }
        }
        // bm25 as FTS5 computes it (k1 = 1.2, b = 0.75), each instance weighted by its column.
        for index in data.frequencies.indices { data.frequencies[index] = 0 }
        var instances: Int32 = 0
        var code = api.xInstCount(fts, &instances)
        guard code == SQLITE_OK else { return code }
        for instance in 0..<instances {
            var phrase: Int32 = 0
            var column: Int32 = 0
            var offset: Int32 = 0
            code = api.xInst(fts, instance, &phrase, &column, &offset)
            guard code == SQLITE_OK else { return code }
            let weight = count > Int(column) + 2 ? sqlite3_value_double(values[Int(column) + 2]) : 1.0
            if Int(phrase) < data.frequencies.count { data.frequencies[Int(phrase)] += weight }
        }
        var tokens: Int32 = 0
        code = api.xColumnSize(fts, -1, &tokens)
        guard code == SQLITE_OK else { return code }
        let lengthFactor = 1.2 * (1 - 0.75 + 0.75 * Double(tokens) / data.averageLength)
        var score = 0.0
        for (idf, frequency) in zip(data.idf, data.frequencies) {
            score += idf * (frequency * 2.2) / (frequency + lengthFactor)
        }
        sqlite3_result_double(context, -score)
        return SQLITE_OK
    }

    /// Counts each phrase's matches, up to `countedMatches`, and estimates the rest.
    private static func prepare(_ api: Fts5ExtensionApi, _ fts: OpaquePointer?, _ data: QueryData, firstID: Int64, lastID: Int64)
        -> Int32
    {
        var rows: Int64 = 0
        var tokens: Int64 = 0
        var code = api.xRowCount(fts, &rows)
        guard code == SQLITE_OK else { return code }
        code = api.xColumnTotalSize(fts, -1, &tokens)
        guard code == SQLITE_OK else { return code }
        data.averageLength = rows > 0 ? max(1, Double(tokens) / Double(rows)) : 1
        let phrases = Int(api.xPhraseCount(fts))
        data.frequencies = Array(repeating: 0, count: phrases)
        let counted: @convention(c) (UnsafePointer<Fts5ExtensionApi>?, OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = {
            api, fts, counter in
            guard let counter = counter?.assumingMemoryBound(to: Counter.self) else { return SQLITE_MISUSE }
            counter.pointee.matches += 1
            guard counter.pointee.matches >= SearchRank.countedMatches else { return SQLITE_OK }
            counter.pointee.lastRowID = api?.pointee.xRowid(fts) ?? 0
            return SQLITE_DONE
        }
        for phrase in 0..<phrases {
            var counter = Counter()
            code = api.xQueryPhrase(fts, Int32(phrase), &counter, counted)
            guard code == SQLITE_OK else { return code }
            var matches = Double(counter.matches)
            if counter.matches >= countedMatches, lastID > firstID {
                // Ids are visited in order: the share of them behind the last counted match.
                let share = Double(max(1, counter.lastRowID - firstID + 1)) / Double(lastID - firstID + 1)
                matches = min(Double(rows), matches / share)
            }
            data.matches.append(matches)
            let idf = log((Double(rows) - matches + 0.5) / (matches + 0.5))
            data.idf.append(idf > 0 ? idf : 1e-6)
        }
        return SQLITE_OK
    }
}
