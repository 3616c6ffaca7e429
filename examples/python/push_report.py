#!/usr/bin/env python3
"""Pushes one report to the national aggregator and prints what it answered.

A starting point for a provincial system. It connects over TLS, presenting
the province's certificate (province-<code>.crt and .key, issued by the
national office), checks the aggregator against the national office's
ca.crt, sends the report of a JSON file and prints the acknowledgement.

    PYTHONPATH=STUBS python3 push_report.py --target HOST:PORT --ca ca.crt \\
        --cert province-01.crt --key province-01.key report.json

STUBS is the directory make-stubs wrote. Exit status: 0 the report is
stored (now or before), 1 refused (fix the report; the reasons are printed),
2 not decided now (push the same report again later).
"""

import argparse
import sys

import grpc
from google.protobuf import json_format

from federation.v1 import aggregator_pb2, aggregator_pb2_grpc, report_pb2

Outcome = aggregator_pb2.PushOutcome

# Final: the report needs no more pushing.
DONE = {Outcome.PUSH_OUTCOME_STORED, Outcome.PUSH_OUTCOME_DUPLICATE,
        Outcome.PUSH_OUTCOME_STALE_REVISION}
# Final refusals: only a corrected report can change them.
REFUSED = {Outcome.PUSH_OUTCOME_INVALID, Outcome.PUSH_OUTCOME_DENIED,
           Outcome.PUSH_OUTCOME_CONFLICT}
# A fault on the national side is never a refusal: try again with backoff.
LATER_CODES = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED,
               grpc.StatusCode.RESOURCE_EXHAUSTED}

EXIT_DONE, EXIT_REFUSED, EXIT_LATER = 0, 1, 2


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def read_report(path):
    """A report in protobuf's JSON form (see report-01-2026H1.json)."""
    with open(path, encoding="utf-8") as f:
        return json_format.Parse(f.read(), report_pb2.Report())


def open_channel(args):
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read_bytes(args.ca),
        private_key=read_bytes(args.key),
        certificate_chain=read_bytes(args.cert))
    return grpc.secure_channel(args.target, credentials)


def push(channel, report, token):
    """Sends one report on a push stream; returns its acknowledgements."""
    stub = aggregator_pb2_grpc.AggregatorServiceStub(channel)
    pushed = aggregator_pb2.PushedReport(
        # Echoed in the acknowledgement: a real system puts its own id here.
        client_ref=f"{report.organization_code}/{report.period}/{report.revision}",
        report=report)
    # The certificate says who we are; a bearer token is only for systems
    # that have one instead.
    metadata = [("authorization", f"Bearer {token}")] if token else []
    # The stream closes our side once the list is sent; the aggregator then
    # acknowledges every report and ends the stream.
    return list(stub.PushReports(iter([pushed]), metadata=metadata, timeout=60))


def describe(ack):
    outcome = Outcome.Name(ack.outcome).removeprefix("PUSH_OUTCOME_")
    lines = [f"{outcome}: report of {ack.organization_code} for {ack.period}, "
             f"revision {ack.revision} (ref {ack.client_ref})"]
    if ack.outcome in DONE:
        state = report_pb2.ReportState.Name(ack.state).removeprefix("REPORT_STATE_")
        lines.append(f"  the national office holds revision {ack.latest_revision}, {state}")
    for violation in ack.violations:
        lines.append(f"  {violation.field}: {violation.description}")
    if ack.detail:
        lines.append(f"  not decided now: {ack.detail}; push it again later")
    return "\n".join(lines)


def exit_status(ack):
    if ack.outcome in DONE:
        return EXIT_DONE
    if ack.outcome in REFUSED:
        return EXIT_REFUSED
    return EXIT_LATER


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", help="the report, a JSON file")
    parser.add_argument("--target", default="127.0.0.1:50053",
                        help="the aggregator's address, HOST:PORT")
    parser.add_argument("--ca", required=True, help="the national office's ca.crt")
    parser.add_argument("--cert", required=True, help="the province's certificate")
    parser.add_argument("--key", required=True, help="the province's private key")
    parser.add_argument("--token_file",
                        help="a bearer token (only for a system given one)")
    args = parser.parse_args()

    report = read_report(args.report)
    token = read_bytes(args.token_file).decode().strip() if args.token_file else None
    try:
        with open_channel(args) as channel:
            acks = push(channel, report, token)
    except grpc.RpcError as error:
        print(f"stream ended: {error.code().name}: {error.details()}")
        return EXIT_LATER if error.code() in LATER_CODES else EXIT_REFUSED
    if not acks:
        print("no acknowledgement came: push the same report again later")
        return EXIT_LATER
    for ack in acks:
        print(describe(ack))
    return exit_status(acks[0])


if __name__ == "__main__":
    sys.exit(main())
