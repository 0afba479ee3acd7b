import Foundation
import GRDB

extension IndexDatabase {
    /// The transcript files that describe each session (`<agent>:<id>` keys), in path order; a
    /// session the index does not know is absent from the result.
    public func transcriptPaths(sessionKeys: [String]) throws(StoreError) -> [String: [String]] {
        guard !sessionKeys.isEmpty else { return [:] }
        return try read { db in
            var paths: [String: [String]] = [:]
            let placeholders = Array(repeating: "?", count: sessionKeys.count).joined(separator: ", ")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT transcriptSession.sessionKey, transcript.path FROM transcriptSession
                    JOIN transcript ON transcript.id = transcriptSession.transcriptId
                    WHERE transcriptSession.sessionKey IN (\(placeholders))
                    ORDER BY transcriptSession.sessionKey, transcript.path
                    """, arguments: StatementArguments(sessionKeys))
            for row in rows {
                let key: String = row[0]
                paths[key, default: []].append(row[1])
            }
            return paths
        }
    }
}
