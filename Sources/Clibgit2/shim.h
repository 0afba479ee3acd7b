// The C surface of libgit2 that LsmGit uses, plus non-variadic wrappers:
// Swift cannot call C variadic functions such as git_libgit2_opts directly.
#ifndef LSM_CLIBGIT2_SHIM_H
#define LSM_CLIBGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/repository.h>

/// Sets the directories searched for the global, XDG or system config file (GIT_OPT_SET_SEARCH_PATH).
static inline int lsm_git_set_search_path(git_config_level_t level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, (int)level, path);
}

/// The largest object of `type` libgit2 keeps in its object cache (GIT_OPT_SET_CACHE_OBJECT_LIMIT).
static inline int lsm_git_set_cache_object_limit(git_object_t type, size_t size) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, size);
}

/// Turns libgit2's ownership check of repositories (safe.directory) on or off (GIT_OPT_SET_OWNER_VALIDATION).
static inline int lsm_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

/// Enables or disables strict object creation checks (GIT_OPT_ENABLE_STRICT_OBJECT_CREATION).
static inline int lsm_git_set_strict_object_creation(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, enabled);
}

#endif
