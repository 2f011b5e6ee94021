# The locale of the i18n tests (sourced after it_lib.sh): a real zh_CN.UTF-8
# locale, the system's when it has one, else compiled by localedef from
# Debian's `locales` sources into $T/locale (no root needed), and the
# catalogs of the build under test (HZ_LOCALEDIR, set by ctest).
#
#   zh hz ARG...   the client under LANG=zh_CN.UTF-8
#   en hz ARG...   the client under LANG=C (what it_lib.sh pins for every other test)
# (through hz's HZ_ENV_EXTRA: assigned in this shell, LC_ALL would make bash
# itself try the locale without LOCPATH and warn).
: "${HZ_LOCALEDIR:?set HZ_LOCALEDIR to the locale folder of the build (ctest does)}"
export HZ_LOCALEDIR

ZH_LOCPATH=
if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
    if ! command -v localedef >/dev/null || [ ! -e /usr/share/i18n/locales/zh_CN ]; then
        echo "FAIL setup: no zh_CN.UTF-8 locale and no localedef sources (Debian package: locales)"
        exit 1
    fi
    mkdir -p "$T/locale"
    # localedef exits 1 on mere warnings; the check below is what counts.
    localedef -i zh_CN -f UTF-8 "$T/locale/zh_CN.UTF-8" >"$T/localedef.log" 2>&1 || true
    ZH_LOCPATH="$T/locale"
fi
if [ "$(LOCPATH=$ZH_LOCPATH LC_ALL=zh_CN.UTF-8 locale charmap 2>/dev/null)" != UTF-8 ]; then
    echo "FAIL setup: the zh_CN.UTF-8 locale does not load"
    cat "$T/localedef.log" 2>/dev/null || true
    exit 1
fi

zh() {
    local HZ_ENV_EXTRA=(LOCPATH="$ZH_LOCPATH" LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE=)
    "$@"
}
en() {
    local HZ_ENV_EXTRA=(LANG=C LC_ALL=C LANGUAGE=)
    "$@"
}

# has_cjk FILE: the file holds Chinese characters.
has_cjk() { LC_ALL=C.UTF-8 grep -qP '[\x{4e00}-\x{9fff}]' "$1"; }

# english_prose FILE: the lines of FILE that read as English sentences
# (words joined by the, of, and, ...) and hold no Chinese: text that was not
# translated. Command syntax, option and field names are not prose.
english_prose() {
    LC_ALL=C.UTF-8 grep -P '\b[a-z]{2,} (the|of|and|is|are|to|with|for|from|when|not|by|in|an|a|or|its|it|be|on) [a-z]{2,}\b' "$1" |
        LC_ALL=C.UTF-8 grep -vP '[\x{4e00}-\x{9fff}]' || true
}
