#!/usr/bin/env bash
# Enforces the layer rules of docs/architecture.md on the imports in Sources/: each target imports
# only the layers below it; C interop (Clibgit2) only in LsmGit, SQL (GRDB, GRDBSQLite, the
# CSQLiteSetup shim, PostgresNIO) only in LsmStore, ArgumentParser only in LsmCLI, MCP only in LsmMCP, Hummingbird, JWTKit and NIO only in LsmServer (Logging in both). Prints `file:line: <target> must not import <module>` for
# each violation and exits 1 when there is any. Run by `make lint`.
#
# Usage: scripts/check-imports.sh [sources-dir]   (default: Sources/ of this repository)
set -euo pipefail

if [ $# -gt 0 ]; then
    sources="${1%/}"
else
    cd "$(dirname "$0")/.."
    sources=Sources
fi

# Whether `target` may not import `module`. Written with `case` so it runs on macOS's bash 3 too.
forbidden() {
    local target="$1" module="$2"
    # Modules that belong to exactly one target.
    case "$module" in
        Clibgit2) [ "$target" != LsmGit ] && return 0 ;;
        GRDB | GRDBSQLite | CSQLiteSetup | PostgresNIO) [ "$target" != LsmStore ] && return 0 ;;
        ArgumentParser | ArgumentParserToolInfo) [ "$target" != LsmCLI ] && return 0 ;;
        MCP) [ "$target" != LsmMCP ] && return 0 ;;
        Logging) [ "$target" != LsmMCP ] && [ "$target" != LsmServer ] && return 0 ;;
        Hummingbird* | JWTKit | NIO* | WSCore | WSClient) [ "$target" != LsmServer ] && return 0 ;;
    esac
    # What each layer must not reach: layers above it, and frameworks that belong elsewhere.
    case "$target" in
        LsmGit)
            case "$module" in LsmStore | LsmCore | LsmCLI | LsmServer | LsmMCP) return 0 ;; esac ;;
        LsmStore)
            case "$module" in LsmGit | LsmCore | LsmCLI | LsmServer | LsmMCP) return 0 ;; esac ;;
        LsmCore)
            case "$module" in Hummingbird* | MCP | LsmCLI | LsmServer | LsmMCP) return 0 ;; esac ;;
        LsmServer)
            case "$module" in LsmCLI | LsmMCP) return 0 ;; esac ;;
        LsmMCP)
            case "$module" in LsmCLI | LsmServer) return 0 ;; esac ;;
    esac
    return 1
}

violations=0

# Every import declaration: optional attributes (`@testable`, `@_exported`, …) and access level, an
# optional kind (`import struct GRDB.Row`), then the module, of which only the top level counts.
import_line='^[[:space:]]*(@[A-Za-z_]+(\([^)]*\))?[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]'
while IFS= read -r match; do
    file="${match%%:*}"
    rest="${match#*:}"
    line="${rest%%:*}"
    code="${rest#*:}"
    relative="${file#"$sources"/}"
    target="${relative%%/*}"
    [[ "$code" =~ import[[:space:]]+(.*) ]] || continue
    read -r first second _ <<<"${BASH_REMATCH[1]}"
    case "$first" in
        typealias | struct | class | enum | protocol | let | var | func) module="$second" ;;
        *) module="$first" ;;
    esac
    module="${module%%.*}"
    module="${module%%;*}"
    if forbidden "$target" "$module"; then
        echo "$file:$line: $target must not import $module"
        violations=$((violations + 1))
    fi
done < <(grep -rnE --include='*.swift' "$import_line" "$sources" | sort -t: -k1,1 -k2,2n)

# The executable is a thin entry point; everything else lives in LsmCLI and below.
if [ -d "$sources/lsm" ]; then
    while IFS= read -r file; do
        echo "$file:1: lsm must hold only Entrypoint.swift (move this code into LsmCLI)"
        violations=$((violations + 1))
    done < <(find "$sources/lsm" -type f -name '*.swift' ! -name Entrypoint.swift | sort)
fi

if [ "$violations" -gt 0 ]; then
    echo "check-imports: $violations layer violation(s); see docs/architecture.md" >&2
    exit 1
fi
