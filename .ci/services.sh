#!/usr/bin/env bash
# Starts PostgreSQL and NATS JetStream when they are not already answering (the machine normally
# starts them; these are the machine's own start commands).
set -u
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! up 5432; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
fi
if ! up 4222; then
  echo "starting nats-server"
  command -v nats-server >/dev/null || { apt-get update -qq && apt-get install -y -qq nats-server; }
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || true
fi
for i in $(seq 1 50); do up 5432 && up 4222 && break; sleep 0.2; done
up 5432 && echo "PostgreSQL: up" || echo "PostgreSQL: DOWN"
up 4222 && echo "NATS: up" || echo "NATS: DOWN"
