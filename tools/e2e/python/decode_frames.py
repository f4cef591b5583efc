"""Decodes lakestream messages with the official FlatBuffers Python runtime.

Independent check of the wire format: the classes come from `flatc --python`
on libs/schema/fbs/telemetry.fbs and the runtime from Debian's
python3-flatbuffers, not from our TypeScript. Usage:

    python3 decode_frames.py <generated-python-dir> <spec.json> <message.bin>...

spec.json maps table name -> [[field, kind], ...] (kind: int64, enum, other).
Prints one JSON document: {"messages": [{"schema_id": n, "events": [...]}]}
with int64 values as decimal strings and enums as their integer values.
"""
import importlib
import json
import struct
import sys

gen_dir, spec_path, *messages = sys.argv[1:]
sys.path.insert(0, gen_dir)
spec = json.load(open(spec_path))
mod = lambda name: getattr(importlib.import_module(f"lakestream.v1.{name}"), name)


def pascal(field):
    return "".join(part[:1].upper() + part[1:] for part in field.split("_"))


def read_table(obj, table):
    out = {}
    for field, kind in spec[table]:
        value = getattr(obj, pascal(field))()
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        out[field] = str(value) if kind == "int64" else value
    return out


PAYLOADS = ["Position", "Dynamics", "PowerUnit", "Tire", "Aerodynamics", "SystemStatus"]


def read_f1(ev):
    out = read_table(ev, "F1Event")
    tag = ev.PayloadType()
    table = ev.Payload()
    payload = mod(PAYLOADS[tag - 1])()
    payload.Init(table.Bytes, table.Pos)
    out["payload_tag"] = tag
    out.update(read_table(payload, PAYLOADS[tag - 1]))
    return out


result = []
for path in messages:
    data = open(path, "rb").read()
    magic, schema_id = struct.unpack(">bI", data[:5])
    assert magic == 0, f"{path}: magic byte {magic}"
    buf = bytearray(data[5:])
    if schema_id == 1:
        events = [read_table(mod("SatelliteSample").GetRootAs(buf, 0), "SatelliteSample")]
    elif schema_id == 2:
        events = [read_f1(mod("F1Event").GetRootAs(buf, 0))]
    elif schema_id == 3:
        frame = mod("SatelliteFrame").GetRootAs(buf, 0)
        events = [read_table(frame.Samples(i), "SatelliteSample") for i in range(frame.SamplesLength())]
    elif schema_id == 4:
        frame = mod("F1Frame").GetRootAs(buf, 0)
        events = [read_f1(frame.Events(i)) for i in range(frame.EventsLength())]
    else:
        raise SystemExit(f"{path}: unknown schema id {schema_id}")
    result.append({"schema_id": schema_id, "events": events})
print(json.dumps({"messages": result}))
