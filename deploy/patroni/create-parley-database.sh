#!/bin/sh
# Patroni's post_bootstrap, once, on the first leader: the database Parley migrates into.
# Patroni passes a connection string for the superuser as $1.
set -e
psql "$1" -v ON_ERROR_STOP=1 -c "CREATE DATABASE parley"
