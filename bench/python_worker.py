#!/usr/bin/python3
"""The comparison baseline: a minimal paho-mqtt worker written the way a simple Python bot would be.

Two modes, both bounded:

  worker  subscribes to <base>/+/cmd/+, answers `check` with a TCP connect to the host's port
          (inline, in paho's network loop, like a simple bot) and publishes a result of the same
          shape as CubeGuardian's on <base>/<host>/result/check (QoS 1). On connect it publishes
          the retained <base>/bridge/state "online" (for the cold-start comparison). It exits by
          itself after --max-seconds.
  sweep   the earlier bot's sequential loop: probes the given ports one after another with the
          same timeout, stops after --max-seconds, and prints one JSON line with what it did.

Loopback only: every address is 127.0.0.1. Needs Debian's python3-paho-mqtt (1.6); run with
/usr/bin/python3.
"""
import argparse
import datetime
import json
import socket
import sys
import threading
import time

BASE = "cubeguardian"


def tcp_probe(port, timeout_s):
    started = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout_s):
            return True, round((time.perf_counter() - started) * 1000.0, 1)
    except OSError:
        return False, None


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def worker(args):
    import paho.mqtt.client as mqtt

    global BASE
    BASE = args.base
    hosts = json.load(open(args.hosts))  # {"host-id": {"port": 12345, "timeout_s": 1.0}}
    client = mqtt.Client(client_id="py-bot-%d" % int(time.time() * 1000), protocol=mqtt.MQTTv311)
    client.will_set(BASE + "/bridge/state", "offline", qos=1, retain=True)

    def on_connect(c, userdata, flags, rc):
        if args.nodelay:
            # not what a simple bot does; only for the "tuned" comparison row
            c.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.subscribe(BASE + "/+/cmd/+", qos=1)
        c.publish(BASE + "/bridge/state", "online", qos=1, retain=True)

    def on_message(c, userdata, msg):
        received = time.perf_counter()
        parts = msg.topic.split("/")
        if len(parts) != 4 or parts[2] != "cmd":
            return
        host, action = parts[1], parts[3]
        try:
            payload = json.loads(msg.payload or b"{}")
            cid = payload.get("id") or "py-%d" % int(time.time() * 1e6)
        except ValueError:
            cid = "py-%d" % int(time.time() * 1e6)
        conf = hosts.get(host)
        if conf is None or action != "check":
            result = {"v": 1, "id": cid, "host": host, "action": action, "success": False,
                      "code": "UNKNOWN_HOST" if conf is None else "UNKNOWN_ACTION", "message": "no",
                      "timestamp": now_iso(), "duration_ms": 0, "details": {}, "error": {"code": "X", "message": "no"}}
        else:
            up, latency = tcp_probe(conf["port"], conf.get("timeout_s", 1.0))
            result = {"v": 1, "id": cid, "host": host, "action": "check", "success": True, "code": "CHECKED",
                      "message": "%s is up" % host if up else "%s does not answer: it looks off" % host,
                      "timestamp": now_iso(), "duration_ms": int((time.perf_counter() - received) * 1000),
                      "details": {"host": {"reachable": up, "method": "tcp", "latency_ms": latency}, "service": None},
                      "error": None}
        c.publish("%s/%s/result/%s" % (BASE, host, action), json.dumps(result, separators=(",", ":")), qos=1)

    client.on_connect = on_connect
    client.on_message = on_message
    client.connect("127.0.0.1", args.port, keepalive=30)
    threading.Timer(args.max_seconds, lambda: client.disconnect()).start()
    client.loop_forever()


def sweep(args):
    ports = [int(p) for p in open(args.ports).read().split()]
    started = time.perf_counter()
    up = down = 0
    for port in ports:
        if time.perf_counter() - started > args.max_seconds:
            break
        ok, _ = tcp_probe(port, args.timeout)
        up += ok
        down += not ok
    elapsed = time.perf_counter() - started
    print(json.dumps({"probed": up + down, "total": len(ports), "up": up, "down": down, "elapsed_s": elapsed}))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    w = sub.add_parser("worker")
    w.add_argument("--port", type=int, required=True)
    w.add_argument("--hosts", required=True)
    w.add_argument("--nodelay", action="store_true")
    w.add_argument("--max-seconds", type=float, default=600)
    w.add_argument("--base", default="cubeguardian", help="base topic (several bots can share one broker)")
    s = sub.add_parser("sweep")
    s.add_argument("--ports", required=True)
    s.add_argument("--timeout", type=float, default=1.0)
    s.add_argument("--max-seconds", type=float, default=60)
    args = parser.parse_args()
    worker(args) if args.mode == "worker" else sweep(args)


if __name__ == "__main__":
    sys.exit(main())
