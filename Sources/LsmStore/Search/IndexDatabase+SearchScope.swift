import GRDB

/// A search limited to some sessions (a repository's) reads only the id ranges of their messages:
/// `searchSpan` keeps each session's runs of consecutive message ids, written with the messages.
extension IndexDatabase {
    /// Spans closer than this are scanned as one range: a range costs FTS5 a seek per term and segment.
    static let spanGapScanned: Int64 = 256
    /// A range costs FTS5 about as much as stepping through this many matches (a seek of each word in
    /// each b-tree, some 50 to 100 µs, against under a µs a match): fewer expected, and a scan wins.
    static let matchesPerRange = 100.0
    /// At most this many ranges: past it, the closest ones are joined.
    static let maximumRanges = 200

    /// The id ranges holding the messages of the sessions `sessions` selects, newest first, and the
    /// share of the index's ids they cover; `nil` when asking for them costs more than a scan of every
    /// match whatever the query matches: they cover half the index or more, or the query has a prefix
    /// (FTS5 gathers a prefix's words over the whole index for each range).
    static func scopeRanges(_ db: Database, sessions: (sql: String, arguments: StatementArguments), expression: String) throws
        -> (ranges: [ScopeRange], share: Double)?
    {
        guard !expression.contains("\"*") else { return nil }
        let numbers = try Int64.fetchAll(db, sql: sessions.sql, arguments: sessions.arguments)
        guard !numbers.isEmpty else { return ([], 0) }
        let spans = try Row.fetchAll(
            db,
            sql:
                "SELECT firstId, lastId FROM searchSpan WHERE session IN (\(numbers.map(String.init).joined(separator: ", "))) ORDER BY firstId DESC"
        ).map { row -> ClosedRange<Int64> in row[0]...row[1] }
        var ranges: [ScopeRange] = []
        for span in spans {
            if let newer = ranges.last, newer.ids.lowerBound - span.upperBound <= spanGapScanned {
                ranges[ranges.count - 1] = ScopeRange(
                    ids: min(span.lowerBound, newer.ids.lowerBound)...max(span.upperBound, newer.ids.upperBound),
                    isExact: newer.isExact && newer.ids.lowerBound - span.upperBound == 1, sessions: numbers)
            } else {
                ranges.append(ScopeRange(ids: span, isExact: true, sessions: numbers))
            }
        }
        if ranges.count > maximumRanges {
            // Join the ranges across the smallest gaps, until few enough are left.
            let gaps = zip(ranges, ranges.dropFirst()).map { newer, older in newer.ids.lowerBound - older.ids.upperBound }
            let widest = gaps.sorted()[ranges.count - maximumRanges - 1]
            var joined: [ScopeRange] = [ranges[0]]
            for (older, gap) in zip(ranges.dropFirst(), gaps) {
                if gap <= widest {
                    let newer = joined[joined.count - 1]
                    joined[joined.count - 1] = ScopeRange(
                        ids: older.ids.lowerBound...newer.ids.upperBound, isExact: newer.isExact && older.isExact && gap == 1,
                        sessions: numbers)
                } else {
                    joined.append(older)
                }
            }
            ranges = joined
        }
        guard !ranges.isEmpty else { return ([], 0) }
        let covered = ranges.reduce(Int64(0)) { $0 + $1.ids.upperBound - $1.ids.lowerBound + 1 }
        // Two subqueries: SQLite reads min() or max() of a rowid at one end of the table, not both at once.
        let all =
            try Row.fetchOne(db, sql: "SELECT \(idRange)").map { row -> Int64 in
                let first: Int64? = row[0]
                let last: Int64? = row[1]
                return (last ?? 0) - (first ?? 0) + 1
            } ?? 0
        return covered * 2 <= all ? (ranges, Double(covered) / Double(max(all, 1))) : nil
    }

    /// Ids a scoped search asks FTS5 for; `isExact` when they hold only the scope's sessions' messages.
    struct ScopeRange {
        var ids: ClosedRange<Int64>
        var isExact: Bool
        /// The session numbers of the scope.
        var sessions: [Int64]
    }

    /// Records `session`'s spans again, as the runs of the messages it has left after some of them
    /// were deleted (all of them lie within its old spans): a span holds only its session's messages.
    static func recordSpansAgain(_ db: Database, session: Int64) throws {
        let ids = try Int64.fetchAll(
            db,
            sql: """
                SELECT f.id FROM searchSpan sp JOIN searchFacts f ON f.id BETWEEN sp.firstId AND sp.lastId
                WHERE sp.session = ?1 AND f.session = ?1 ORDER BY f.id
                """, arguments: [session])
        try db.execute(sql: "DELETE FROM searchSpan WHERE session = ?", arguments: [session])
        var span: SearchSpan?
        for id in ids {
            if let open = span, open.lastId + 1 == id {
                span?.lastId = id
            } else {
                try span?.record(db)
                span = SearchSpan(session: session, firstId: id, lastId: id)
            }
        }
        try span?.record(db)
    }
}

/// A run of consecutive message ids of one session in the full-text index (table `searchSpan`).
struct SearchSpan {
    var session: Int64
    var firstId: Int64
    var lastId: Int64

    /// Stores the span, joined to the session's span that ends just before it (a session's next file,
    /// or the same file's next messages in a later pass right after).
    func record(_ db: Database) throws {
        try db.execute(
            sql: "UPDATE searchSpan SET lastId = ?3 WHERE session = ?1 AND lastId = ?2 - 1", arguments: [session, firstId, lastId])
        guard db.changesCount == 0 else { return }
        try db.execute(
            sql: """
                INSERT INTO searchSpan (session, firstId, lastId) VALUES (?, ?, ?)
                ON CONFLICT (session, firstId) DO UPDATE SET lastId = max(lastId, excluded.lastId)
                """, arguments: [session, firstId, lastId])
    }
}
