# Sourced by bench/load.sh (and its test, tests/Gateway.Api.Tests/Bench/LoadScriptFolderTests.cs):
# the folders a load run uses, and removing only what the run made.
#
#   prepare_folders   sets WORK (a new folder for the gateway's log, always removed at the end)
#                     and FOLDER (the cluster's folder: as given, else $WORK/postgres), and makes
#                     sure the cluster's user can reach FOLDER
#   remove_folders    removes WORK, and FOLDER only if this run created it (never a folder that
#                     was there before, never a parent); KEEP=1 keeps both

prepare_folders() {
    WORK=$(mktemp -d /tmp/gateway-load.XXXXXX)
    # mktemp makes it 0700; when the gateway runs as root the cluster runs as 'postgres', which must get in.
    chmod 755 "$WORK"
    CREATED_FOLDER=""
    if [[ -z ${FOLDER:-} ]]; then
        FOLDER=$WORK/postgres
    elif [[ ! -e $FOLDER ]]; then
        mkdir -p "$FOLDER"
        CREATED_FOLDER=$FOLDER
    fi
    if [[ $(id -u) == 0 ]] && id postgres >/dev/null 2>&1 && [[ $FOLDER != "$WORK"/* ]] \
        && ! runuser -u postgres -- test -x "$(dirname "$FOLDER")"; then
        echo "FOLDER=$FOLDER: the cluster runs as the 'postgres' user (the script runs as root), and that user cannot reach $(dirname "$FOLDER")." >&2
        echo "Give a FOLDER under a folder every user can enter (e.g. FOLDER=/var/tmp/gateway-load/postgres), or leave FOLDER unset." >&2
        remove_folders
        return 1
    fi
}

remove_folders() {
    if [[ ${KEEP:-0} == 1 ]]; then
        echo "kept: $WORK${CREATED_FOLDER:+ and $CREATED_FOLDER}" >&2
        return 0
    fi
    if [[ -n ${CREATED_FOLDER:-} ]]; then rm -rf -- "$CREATED_FOLDER"; fi
    rm -rf -- "$WORK"
}
