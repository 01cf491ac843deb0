#!/bin/sh
# Schedule one newsarchive worker on a Scrapyd server for each of its slots that has
# no job pending or running (docs/distributed.md, "Deploying with Scrapyd").
# Slot N always uses ARCHIVE_DIR=$DATA/N, so a killed job's files are recovered and
# uploaded by the next job of that slot, and two jobs never share a directory.
# Run it hourly (cron or a systemd timer). Needs curl and jq; Scrapyd's user and
# password, if it has them, come from ~/.netrc.
#
#   SCRAPYD=http://10.0.0.7:6800 SLOTS=2 ./schedule-scrapyd-workers.sh
set -eu
SCRAPYD=${SCRAPYD:-http://127.0.0.1:6800}
PROJECT=${PROJECT:-newsarchive}
SLOTS=${SLOTS:-2}
JOBFILE=${JOBFILE:-/etc/newsarchive/job.toml}
DATA=${DATA:-/var/lib/newsarchive}
ENVFILE=${ENVFILE:-/etc/newsarchive/worker.env}
EXTRACT_PROCESSES=${EXTRACT_PROCESSES:-2}

# NEWSARCHIVE_REDIS and NEWSARCHIVE_STORE; the AWS credentials are Scrapyd's own.
REDIS=$(sed -n 's/^NEWSARCHIVE_REDIS=//p' "$ENVFILE")
STORE=$(sed -n 's/^NEWSARCHIVE_STORE=//p' "$ENVFILE")

busy=$(curl -fsS -n "$SCRAPYD/listjobs.json?project=$PROJECT" \
       | jq -r '.pending[].id, .running[].id')
stamp=$(date -u +%Y%m%dT%H%M%S)
for n in $(seq 1 "$SLOTS"); do
    if printf '%s\n' "$busy" | grep -q "^worker-$n-"; then
        echo "slot $n: a job is still pending or running"
        continue
    fi
    curl -fsS -n "$SCRAPYD/schedule.json" \
        -d project="$PROJECT" -d spider=news -d jobid="worker-$n-$stamp" \
        --data-urlencode jobfile="$JOBFILE" \
        --data-urlencode setting="REDIS_URL=$REDIS" \
        --data-urlencode setting="ARCHIVE_DIR=$DATA/$n" \
        --data-urlencode setting="ARCHIVE_STORE=$STORE" \
        --data-urlencode setting="EXTRACT_PROCESSES=$EXTRACT_PROCESSES"
    echo
done
