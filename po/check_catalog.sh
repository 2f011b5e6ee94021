#!/usr/bin/env bash
# i18n.catalog: every string the sources mark for translation has a zh_CN
# translation that is neither missing, empty nor fuzzy, and the catalog
# compiles with its format strings matching the English.
# Usage: check_catalog.sh SOURCE_DIR POT_FILE (the template the build made).
set -euo pipefail
src=$1 pot=$2
po="$src/po/zh_CN.po"
[ -s "$pot" ] || { echo "FAIL no template $pot (build the huizong_pot target)"; exit 1; }
fails=0
# msgcmp counts untranslated and fuzzy entries of the catalog as absent.
if ! msgcmp "$po" "$pot" 2>"${TMPDIR:-/tmp}/msgcmp.$$"; then
    echo "FAIL strings without a zh_CN translation (run: make po, then translate):"
    sed 's/^/     | /' "${TMPDIR:-/tmp}/msgcmp.$$" | head -n 60
    fails=1
fi
rm -f "${TMPDIR:-/tmp}/msgcmp.$$"
stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1)
echo "zh_CN.po: $stats"
case "$stats" in
    *fuzzy*|*untranslated*) echo "FAIL fuzzy or untranslated entries in po/zh_CN.po"; fails=1 ;;
esac
# A translation of a string that is no longer in the sources is dead weight.
obsolete=$(grep -c '^#~ msgid' "$po" || true)
[ "$obsolete" = 0 ] || { echo "FAIL $obsolete obsolete entries in po/zh_CN.po (make po drops them)"; fails=1; }
[ "$fails" = 0 ] && echo "ok   every string has a zh_CN translation"
exit "$fails"
