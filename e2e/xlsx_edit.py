#!/usr/bin/env python3
"""Edits cells of an XLSX workbook as a spreadsheet program saves them.

    python3 e2e/xlsx_edit.py IN OUT PART CELL VALUE [PART CELL VALUE ...]

PART is the sheet's part (xl/worksheets/sheet1.xml); VALUE is `n:437.25` for a
number or `s:SYT` for text typed in the cell. The browser tests use it to fill a
downloaded template, or to tamper with its hidden sheet, before uploading it.
"""
import re
import sys
import zipfile


def edit(xml: str, cell: str, value: str) -> str:
    kind, text = value.split(":", 1)
    content = f"<v>{text}</v>" if kind == "n" else f"<is><t>{text}</t></is>"
    kind_attr = "" if kind == "n" else ' t="inlineStr"'
    pattern = re.compile(rf'<c r="{cell}"(?: s="(\d+)")?(?: t="\w+")?(?:/>|>.*?</c>)', re.S)
    match = pattern.search(xml)
    if not match:
        sys.exit(f"no cell {cell}")
    style = f' s="{match.group(1)}"' if match.group(1) else ""
    return xml[: match.start()] + f'<c r="{cell}"{style}{kind_attr}>{content}</c>' + xml[match.end() :]


def main() -> None:
    src, dst, *edits = sys.argv[1:]
    if not edits or len(edits) % 3:
        sys.exit(__doc__)
    changes: dict[str, list[tuple[str, str]]] = {}
    for i in range(0, len(edits), 3):
        changes.setdefault(edits[i], []).append((edits[i + 1], edits[i + 2]))
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in changes:
                xml = data.decode("utf-8")
                for cell, value in changes[item.filename]:
                    xml = edit(xml, cell, value)
                data = xml.encode("utf-8")
            zout.writestr(item, data)


if __name__ == "__main__":
    main()
