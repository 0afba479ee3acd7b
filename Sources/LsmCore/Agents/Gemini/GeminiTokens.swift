/// A Gemini message's `tokens` record, as Gemini CLI copies it from the API's usage metadata.
struct GeminiTokens: Equatable {
    /// `promptTokenCount`: the prompt, cached part included.
    var input = 0
    /// `candidatesTokenCount`.
    var output = 0
    /// `cachedContentTokenCount`.
    var cached = 0
    /// `thoughtsTokenCount`: reasoning, billed as output.
    var thoughts = 0
    /// `toolUsePromptTokenCount`: prompt tokens of tool use, billed as input.
    var tool = 0
    /// `totalTokenCount`, when recorded.
    var total: Int?

    mutating func read(key: JSONKey, value: inout JSONCursor) {
        if key.equals("input") {
            input = value.readTokenCount()
        } else if key.equals("output") {
            output = value.readTokenCount()
        } else if key.equals("cached") {
            cached = value.readTokenCount()
        } else if key.equals("thoughts") {
            thoughts = value.readTokenCount()
        } else if key.equals("tool") {
            tool = value.readTokenCount()
        } else if key.equals("total") {
            total = value.readTokenCount()
        }
    }

    /// Whether `cached` is part of `input`, as the Gemini API counts it. Only a `total` that
    /// counts the cache separately (`input + cached + output + thoughts + tool`) says otherwise.
    var cachedIsInsideInput: Bool {
        guard let total, cached > 0 else { return true }
        if total == input + output + thoughts + tool { return true }
        return total != input + cached + output + thoughts + tool
    }

    /// The usage in lsm's categories: fresh input = `input − cached + tool`, cache read = `cached`,
    /// output = `output + thoughts`. Gemini reports no cache writes.
    var usage: TokenUsage {
        let cacheRead = cachedIsInsideInput ? min(cached, input) : cached
        let fresh = (cachedIsInsideInput ? input - cacheRead : input) + tool
        return TokenUsage(input: fresh, output: output + thoughts, cacheRead: cacheRead)
    }

    /// Whether the record counts anything at all.
    var isEmpty: Bool { input == 0 && output == 0 && cached == 0 && thoughts == 0 && tool == 0 }
}
