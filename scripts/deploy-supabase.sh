#!/usr/bin/env bash
# Deploys spacesync to a Supabase project with the Supabase CLI: the migrations (supabase db push),
# the Edge Functions (supabase functions deploy) and their secrets (supabase secrets set), in that
# order. Secrets come from the environment and are never printed. See docs/INSTALL.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/deploy-supabase.sh [options]

Deploys spacesync to a Supabase project with the Supabase CLI, without Docker:
  1. supabase link --project-ref <ref>              with --project-ref (else the project linked before)
  2. checks that supabase/ is what `spacesync supabase install` writes (scripts/generate-supabase-migrations.ts --check;
     only when deploying this checkout's own supabase/)
  3. supabase db push --include-all                 the migrations, into the linked project's database,
                                                    or SUPABASE_DB_URL's (its password handed over in PGPASSWORD, not argv)
  4. supabase secrets set --env-file <temporary>    STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and the optional ones
  5. supabase functions deploy ... --no-verify-jwt --use-api
                                                    create-stripe-catalog, sync-space-stripe, stripe-webhook,
                                                    drain-queue, spacesync-api (the HTTP API for the admin UI),
                                                    bundled by Supabase's API (--use-api: no Docker).
                                                    Each checks its caller itself: an admin's
                                                    Supabase Auth JWT (the project's JWKS, or JWT_SECRET for
                                                    legacy HS256 tokens), Stripe's signature, or DRAIN_QUEUE_SECRET;
                                                    the gateway's check knows only legacy JWTs and not Stripe.

Options:
  --dry-run             print every step (secrets masked) and run nothing
  --allow-live          allow a live Stripe key (sk_live_/rk_live_); refused without it
  --project-ref REF     link the project first (supabase link --project-ref REF)
  --skip-migrations     do not run supabase db push
  --skip-secrets        do not set the function secrets
  --skip-functions      do not deploy the functions
  -h, --help            this help

Environment:
  STRIPE_SECRET_KEY       required unless --skip-secrets (sk_test_…; sk_live_… needs --allow-live)
  STRIPE_WEBHOOK_SECRET   required unless --skip-secrets (whsec_…, the signing secret of the webhook endpoint)
  JWT_SECRET              optional: the project's legacy JWT secret, for HS256 user tokens (projects on
                          asymmetric JWT signing keys need nothing: the functions use the project's JWKS)
  DRAIN_QUEUE_SECRET      optional: shared secret pg_cron sends to drain-queue (see docs/INSTALL.md)
  DRIFT_POLICY, STRIPE_RATE_LIMIT, LOG_LEVEL   optional, passed on as secrets when set
  SUPABASE_CLI            the CLI command (default: supabase), e.g. "npx supabase"
  SUPABASE_ACCESS_TOKEN   read by the CLI (else `supabase login`'s)
  SUPABASE_DB_URL         optional: the database to push the migrations into (the direct connection or the
                          session pooler, postgresql://postgres:<password>@…:5432/postgres); without it,
                          the linked project's, with SUPABASE_DB_PASSWORD
  SUPABASE_DB_PASSWORD    read by the CLI for db push on the linked project
  SUPABASE_WORKDIR        the project folder holding supabase/ (default: this checkout), e.g. your app's
                          after `spacesync supabase install --project-dir`; the CLI reads it too
EOF
}

dry_run=0
allow_live=0
project_ref=""
skip_migrations=0
skip_secrets=0
skip_functions=0

fail() {
  echo "deploy-supabase: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --allow-live) allow_live=1 ;;
    --project-ref)
      [ $# -ge 2 ] || fail "--project-ref needs a value: the project reference from the dashboard URL (https://supabase.com/dashboard/project/<ref>)"
      project_ref="$2"
      shift
      ;;
    --project-ref=*) project_ref="${1#--project-ref=}" ;;
    --skip-migrations) skip_migrations=1 ;;
    --skip-secrets) skip_secrets=1 ;;
    --skip-functions) skip_functions=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) fail "unknown option $1 (see --help)" ;;
  esac
  shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The project folder the CLI deploys from (it reads SUPABASE_WORKDIR itself): this checkout by default;
# a relative path is taken from where the script was started.
workdir="$(cd "${SUPABASE_WORKDIR:-$root}" 2>/dev/null && pwd)" || fail "SUPABASE_WORKDIR=$SUPABASE_WORKDIR is not a folder: set it to the project folder holding supabase/"
export SUPABASE_WORKDIR="$workdir"
cd "$root"

# The functions the project deploys. Each authenticates its caller in code (see --help).
functions=(create-stripe-catalog sync-space-stripe stripe-webhook drain-queue spacesync-api)
optional_secrets=(JWT_SECRET DRAIN_QUEUE_SECRET DRIFT_POLICY STRIPE_RATE_LIMIT LOG_LEVEL)

read -r -a cli <<<"${SUPABASE_CLI:-supabase}"

# A secret as it may be shown: its well-known prefix, never its value.
mask() {
  local value="$1"
  case "$value" in
    sk_test_* | sk_live_* | rk_test_* | rk_live_*) echo "${value:0:8}****" ;;
    whsec_*) echo "whsec_****" ;;
    *) echo "****" ;;
  esac
}

# Prints a step; runs it unless --dry-run.
step() {
  echo "+ $*"
  if [ "$dry_run" -eq 0 ]; then
    "$@"
  fi
}

# --- checks that need nothing installed -------------------------------------------------------

secret_names=()
if [ "$skip_secrets" -eq 0 ]; then
  [ -n "${STRIPE_SECRET_KEY:-}" ] || fail "STRIPE_SECRET_KEY is not set: export your Stripe secret key (Dashboard → Developers → API keys), or pass --skip-secrets"
  [[ "$STRIPE_SECRET_KEY" =~ ^(sk|rk)_(test|live)_[A-Za-z0-9_]+$ ]] || fail "STRIPE_SECRET_KEY is not a Stripe secret key: it should start with sk_test_, sk_live_, rk_test_ or rk_live_"
  [ -n "${STRIPE_WEBHOOK_SECRET:-}" ] || fail "STRIPE_WEBHOOK_SECRET is not set: add the webhook endpoint in the Stripe dashboard (docs/INSTALL.md) and export its signing secret (whsec_…)"
  [[ "$STRIPE_WEBHOOK_SECRET" == whsec_* ]] || fail "STRIPE_WEBHOOK_SECRET should start with whsec_: copy the signing secret of the webhook endpoint"
  if [[ "$STRIPE_SECRET_KEY" == *_live_* ]] && [ "$allow_live" -eq 0 ]; then
    fail "STRIPE_SECRET_KEY is a live key: the functions would change your live Stripe catalog. Deploy with a test key (sk_test_…), or pass --allow-live when you mean it."
  fi
  secret_names=(STRIPE_SECRET_KEY STRIPE_WEBHOOK_SECRET)
  for name in "${optional_secrets[@]}"; do
    if [ -n "${!name:-}" ]; then secret_names+=("$name"); fi
  done
  if [ -n "${JWT_SECRET:-}" ] && [ "${#JWT_SECRET}" -lt 32 ]; then
    fail "JWT_SECRET must be at least 32 characters: copy the project's JWT secret (Dashboard → Project Settings → JWT Keys)"
  fi
fi

# --- the CLI and the link ---------------------------------------------------------------------

if [ "$dry_run" -eq 0 ] && ! command -v "${cli[0]}" >/dev/null 2>&1; then
  fail "the Supabase CLI (${cli[0]}) is not installed: see https://supabase.com/docs/guides/local-development/cli/getting-started (brew install supabase/tap/supabase, or set SUPABASE_CLI=\"npx supabase\")"
fi

[ -d "$workdir/supabase/functions" ] && [ -d "$workdir/supabase/migrations" ] || fail "$workdir/supabase/functions or supabase/migrations is missing: run this script from a spacesync checkout, or set SUPABASE_WORKDIR to a project folder where \`spacesync supabase install --project-dir\` wrote them"

if [ -n "$project_ref" ]; then
  [[ "$project_ref" =~ ^[a-z]{20}$ ]] || fail "--project-ref $project_ref does not look like a project reference (20 lower-case letters, from the dashboard URL)"
  step "${cli[@]}" link --project-ref "$project_ref"
elif [ ! -s "$workdir/supabase/.temp/project-ref" ]; then
  fail "this checkout is not linked to a Supabase project: run \`${cli[*]} link --project-ref <ref>\` (or pass --project-ref <ref>)"
fi

# --- 1. migrations ----------------------------------------------------------------------------

if [ "$skip_migrations" -eq 0 ]; then
  # Never push migrations that differ from the source: the test suite would fail on them too.
  if [ "$workdir" = "$root" ]; then step node --import tsx scripts/generate-supabase-migrations.ts --check; fi
  if [ -n "${SUPABASE_DB_URL:-}" ]; then
    [[ "$SUPABASE_DB_URL" =~ ^postgres(ql)?://([^:@/]+)(:([^@/]*))?@(.+)$ ]] || fail "SUPABASE_DB_URL is not a postgresql://user:password@host:port/database URL: copy it from Dashboard → Connect (direct connection or session pooler)"
    # The password goes to the CLI in PGPASSWORD, not on its command line (visible to every user: ps).
    db_user="${BASH_REMATCH[2]}"
    db_password_encoded="${BASH_REMATCH[4]}"
    db_rest="${BASH_REMATCH[5]}"
    db_url="postgresql://$db_user@$db_rest"
    echo "+ ${cli[*]} db push --include-all --yes --db-url $db_url"
    if [ "$dry_run" -eq 0 ]; then
      PGPASSWORD="$(printf '%b' "${db_password_encoded//%/\\x}")" "${cli[@]}" db push --include-all --yes --db-url "$db_url"
    fi
  else
    step "${cli[@]}" db push --include-all --yes
  fi
fi

# --- 2. secrets -------------------------------------------------------------------------------

if [ "$skip_secrets" -eq 0 ]; then
  shown=()
  for name in "${secret_names[@]}"; do shown+=("$name=$(mask "${!name}")"); done
  echo "+ ${cli[*]} secrets set --env-file <temporary file: ${shown[*]}>"
  if [ "$dry_run" -eq 0 ]; then
    # A file, not arguments: values on a command line are visible to every user of the machine (ps).
    env_file="$(mktemp)"
    trap 'rm -f "$env_file"' EXIT
    chmod 600 "$env_file"
    for name in "${secret_names[@]}"; do printf '%s=%s\n' "$name" "${!name}" >>"$env_file"; done
    "${cli[@]}" secrets set --env-file "$env_file" >/dev/null
    rm -f "$env_file"
  fi
fi

# --- 3. functions -----------------------------------------------------------------------------

if [ "$skip_functions" -eq 0 ]; then
  step "${cli[@]}" functions deploy "${functions[@]}" --no-verify-jwt --use-api
fi

if [ "$dry_run" -eq 1 ]; then
  echo "dry run: nothing was changed"
else
  echo "deployed. Next: the Stripe webhook endpoint and the queue worker (docs/INSTALL.md, \"Supabase\")."
fi
