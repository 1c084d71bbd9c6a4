#!/bin/sh
# Runs once, when the primary's data directory is created: lets the standby stream the WAL.
set -e
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
