// Process-wide SQLite settings that Swift cannot make itself: sqlite3_config is variadic, which
// Swift does not import. Only LsmStore imports this module (docs/architecture.md).
#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Turns off SQLite's memory statistics, which take a global mutex around every allocation and
/// free. Must run before SQLite initializes (the first connection opened); returns sqlite3_config's
/// result code: SQLITE_OK, or SQLITE_MISUSE when SQLite was already initialized.
int lsm_sqlite_disable_memory_statistics(void);

#endif
