"""A 100,000-row 名录库 import through the README's gunicorn (2 workers, its default 30 s timeout) and one
`supervise worker`, on the embedded default: the upload answers 202 at once, the job imports every row.
Prints one JSON object: rows, file size, the upload's seconds and status, the job's seconds and its result.
Usage: .venv/bin/python bench/imports.py [--rows 100000]"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from served import demo_served  # noqa: E402 - bench/ is not a package

from seeds.generate import make_uscc  # noqa: E402


def csv_of(rows: int) -> bytes:
    """A 名录库 export with Chinese headers, one firm a row, every row valid."""
    lines = ["统一社会信用代码,企业名称,法定代表人,所在地区代码,行业代码,成立日期"]
    lines += [
        f"{make_uscc(5_000_000 + i, '330102')},杭州导入基准商行{i:06d},王某,330102,F52,2020-05-18" for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n").encode()  # fmt: skip
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    data = csv_of(args.rows)
    body, ctype = multipart("mingluku.csv", data)
    with demo_served(entities=1000, users=("admin",), worker=True) as served:
        began = time.perf_counter()
        status, answer = served.request("POST", "/api/enterprises/import", "admin", body, ctype)
        upload_s = time.perf_counter() - began
        job = json.loads(answer)
        result: dict[str, object] = {}
        while status == 202:
            code, raw = served.request("GET", job["status_url"], "admin")
            result = json.loads(raw)
            if result.get("status") in ("finished", "failed"):
                break
            time.sleep(0.5)
        total_s = time.perf_counter() - began
    print(json.dumps({
        "rows": args.rows, "file_mb": round(len(data) / 1e6, 1), "upload_status": status,
        "upload_s": round(upload_s, 2), "total_s": round(total_s, 2), "job_status": result.get("status"),
        "progress": result.get("progress"), "result": result.get("result"),
    }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
