"""Records what a kernel publishes while cells run, as a front end receives it.

Runs the code of a notebook's cells through the real Jupyter protocol (jupyter_client, the
project's tslab kernel), in the order a person would: a list of steps, each a code cell's
index to execute, or "restart" to restart the kernel. For every execution it keeps the IOPub
messages that change the cell's outputs (display_data, update_display_data, stream,
execute_result, error, clear_output), type and content, in the order they came, and when each
came (seconds after the execute request: whether outputs arrive while a cell runs).

  record_iopub.py SPEC.json OUT.json

SPEC: {"kernel": NAME, "cwd": DIR, "cells": [code, ...], "steps": [0, 1, "restart", 1, ...],
       "timeout": SECONDS}
OUT:  [{"cell": INDEX, "messages": [{"msg_type": ..., "content": {...}, "at": SECONDS}, ...]} | {"restart": true}, ...]
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager

OUTPUT_MESSAGES = {'display_data', 'update_display_data', 'stream', 'execute_result', 'error', 'clear_output'}


def run_cell(client, code, timeout):
    sent = time.monotonic()
    msg_id = client.execute(code, allow_stdin=False, stop_on_error=True)
    messages = []
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if msg['parent_header'].get('msg_id') != msg_id:
            continue
        kind = msg['header']['msg_type']
        if kind == 'status' and msg['content']['execution_state'] == 'idle':
            break
        if kind in OUTPUT_MESSAGES:
            messages.append({'msg_type': kind, 'content': msg['content'], 'at': round(time.monotonic() - sent, 3)})
    reply = client.get_shell_msg(timeout=timeout)
    while reply['parent_header'].get('msg_id') != msg_id:
        reply = client.get_shell_msg(timeout=timeout)
    return messages, reply['content']['status']


def main():
    with open(sys.argv[1], encoding='utf-8') as f:
        spec = json.load(f)
    timeout = spec.get('timeout', 120)
    manager = KernelManager(kernel_name=spec['kernel'])
    manager.start_kernel(cwd=spec['cwd'])
    client = manager.client()
    client.start_channels()
    record = []
    try:
        client.wait_for_ready(timeout=60)
        for step in spec['steps']:
            if step == 'restart':
                manager.restart_kernel(now=True)
                client.wait_for_ready(timeout=60)
                record.append({'restart': True})
                continue
            messages, status = run_cell(client, spec['cells'][step], timeout)
            if status != 'ok':
                raise RuntimeError('cell %d ended with status %s: %s' % (step, status, json.dumps(messages)[-2000:]))
            record.append({'cell': step, 'messages': messages})
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    with open(sys.argv[2], 'w', encoding='utf-8') as f:
        json.dump(record, f)


if __name__ == '__main__':
    main()
