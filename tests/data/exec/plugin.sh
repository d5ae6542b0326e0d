#!/bin/sh
# Test exec credential plugin for tst_credentials. Records what it was given into the folder
# $ROLLSCOPE_EXEC_RECORD (when set): KUBERNETES_EXEC_INFO, its arguments (NUL-separated), its
# environment and a run counter. Then behaves as PLUGIN_MODE says.
rec="${ROLLSCOPE_EXEC_RECORD:-}"
if [ -n "$rec" ]; then
    printf '%s' "${KUBERNETES_EXEC_INFO-}" > "$rec/exec-info.json"
    : > "$rec/args"
    for arg in "$@"; do
        printf '%s\0' "$arg" >> "$rec/args"
    done
    env > "$rec/env"
    count=$(cat "$rec/count" 2>/dev/null || echo 0)
    echo $((count + 1)) > "$rec/count"
fi

api="${PLUGIN_API_VERSION:-client.authentication.k8s.io/v1}"
expiry=""
if [ -n "${PLUGIN_EXPIRY:-}" ]; then
    expiry=",\"expirationTimestamp\":\"$PLUGIN_EXPIRY\""
fi
# A PEM file as a JSON string body (PEM has no quotes or backslashes to escape).
pem() {
    awk 'BEGIN { ORS = "" } { printf "%s\\n", $0 }' "$1"
}

case "${PLUGIN_MODE:-token}" in
token)
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"%s}}\n' \
        "$api" "${PLUGIN_TOKEN:-exec-token}" "$expiry"
    ;;
cert)
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"clientCertificateData":"%s","clientKeyData":"%s"%s}}\n' \
        "$api" "$(pem "$PLUGIN_CERT")" "$(pem "$PLUGIN_KEY")" "$expiry"
    ;;
no-status)
    printf '{"apiVersion":"%s","kind":"ExecCredential"}\n' "$api"
    ;;
not-json)
    echo "Here is your token: maybe"
    ;;
fail)
    echo "error: could not get a token: the session expired" >&2
    exit 3
    ;;
noisy)
    i=0
    while [ $i -lt 200 ]; do
        echo "noise line $i ..................................................." >&2
        i=$((i + 1))
    done
    echo "the real reason is at the end" >&2
    exit 1
    ;;
leak)
    echo "debug: CANARY_SECRET=${CANARY_SECRET:-} token=${PLUGIN_TOKEN:-}" >&2
    exit 1
    ;;
sleep)
    exec sleep 30
    ;;
*)
    echo "unknown PLUGIN_MODE ${PLUGIN_MODE}" >&2
    exit 2
    ;;
esac
