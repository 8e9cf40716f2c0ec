#!/usr/bin/env python3
"""Benchmark 10's baseline: the least a script can do to watch a fleet by TCP connect.

Every host is probed once per interval (the first probes spread over the fast interval, as the
worker does), with a non-blocking connect and one epoll selector, closed at the timeout. It keeps
a state per host in a dict and publishes nothing: the worker's cost over this is what it does
beyond the probes themselves (states, events, timers, metrics, the broker).

    fleet_prober.py --ports FILE --timeout 2 --interval 15 --spread 0.5 --seconds 100
FILE holds one port per line, one line per host; every host is on 127.0.0.1.
"""
import argparse
import errno
import heapq
import random
import selectors
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ports", required=True)
    ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--interval", type=float, default=15.0)
    ap.add_argument("--spread", type=float, default=0.5)
    ap.add_argument("--seconds", type=float, default=100.0)
    a = ap.parse_args()
    with open(a.ports) as f:
        ports = [int(line) for line in f if line.strip()]
    sel = selectors.DefaultSelector()
    start = time.monotonic()
    due = [(start + random.random() * a.spread, h) for h in range(len(ports))]
    heapq.heapify(due)
    deadlines = []  # (time, host, socket): lazily dropped when the socket already finished
    pending = {}
    up = [None] * len(ports)
    probes = 0
    while time.monotonic() - start < a.seconds:
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, h = heapq.heappop(due)
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            err = s.connect_ex(("127.0.0.1", ports[h]))
            probes += 1
            if err in (0, errno.EINPROGRESS):
                sel.register(s, selectors.EVENT_WRITE, h)
                pending[s] = h
                heapq.heappush(deadlines, (now + a.timeout, id(s), s))
            else:
                s.close()
                up[h] = False
                heapq.heappush(due, (now + a.interval, h))
        while deadlines and deadlines[0][0] <= now:
            _, _, s = heapq.heappop(deadlines)
            h = pending.pop(s, None)
            if h is not None:
                sel.unregister(s)
                s.close()
                up[h] = False
                heapq.heappush(due, (now + a.interval, h))
        wait = min([due[0][0] if due else now + 1, deadlines[0][0] if deadlines else now + 1]) - now
        for key, _ in sel.select(timeout=max(0.0, wait)):
            s = key.fileobj
            h = pending.pop(s)
            sel.unregister(s)
            up[h] = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
            s.close()
            heapq.heappush(due, (time.monotonic() + a.interval, h))
    print("probes %d online %d" % (probes, sum(1 for u in up if u)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
