# Sourced by bench/wrk_ratios.sh and bench/wrk_pages.sh with the database's
# name in $db: sets $host, $port and $user (PGHOST, PGPORT, PGUSER, or
# 127.0.0.1, 5432, postgres), makes the national dataset there when the
# database is missing (bench/generate_national.sh --keep, a few minutes), and
# exports DATABASE_URL for it.
host="${PGHOST:-127.0.0.1}"
port="${PGPORT:-5432}"
user="${PGUSER:-postgres}"
if ! psql -h "$host" -p "$port" -U "$user" -At \
    -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    echo "No database $db: generating the national dataset (a few minutes)."
    timeout 3600 bench/generate_national.sh --db "$db" --keep --no-pages
fi
export DATABASE_URL="postgres://$user@$host:$port/$db"
