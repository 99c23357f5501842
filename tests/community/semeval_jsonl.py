"""The SemEval-2016 Task 3 material (real Qatar Living threads, ../shared/data) as an import
file: one JSON line per related thread, its comments as replies, the first comment the
annotators judged a good answer (by someone other than the asker) as the accepted one."""
import json
import re
from html import unescape
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "semeval2016-task3b"
SPLITS = {"dev": "SemEval2016-Task3-CQA-QL-dev.xml",
          "train": "SemEval2016-Task3-CQA-QL-train-part2.xml"}

THREAD = re.compile(r"<Thread [^>]*>(.*?)</Thread>", re.DOTALL)
QUESTION = re.compile(r"<RelQuestion ([^>]*)>(.*?)</RelQuestion>", re.DOTALL)
COMMENT = re.compile(r"<RelComment ([^>]*)>\s*<RelCText>(.*?)</RelCText>", re.DOTALL)
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def _tag(name, text):
    match = re.search(rf"<{name}>(.*?)</{name}>", text, re.DOTALL)
    return unescape(match.group(1)).strip() if match else ""


def _time(value):
    return value.replace(" ", "T") + "Z"


def threads(split):
    """The split's related threads as import lines (dicts), each thread once."""
    seen = {}
    for block in THREAD.findall((DATA / SPLITS[split]).read_text(encoding="utf-8")):
        head, question = QUESTION.search(block).groups()
        attrs = dict(ATTRIBUTE.findall(head))
        if attrs["RELQ_ID"] in seen:
            continue
        replies, accepted = [], False
        for comment_head, text in COMMENT.findall(block):
            comment = dict(ATTRIBUTE.findall(comment_head))
            good = (comment["RELC_RELEVANCE2RELQ"] == "Good" and not accepted
                    and comment["RELC_USERID"] != attrs["RELQ_USERID"])
            accepted = accepted or good
            replies.append({"external_id": comment["RELC_ID"], "body": unescape(text).strip(),
                            "author": {"name": comment["RELC_USERNAME"]},
                            "created_at": _time(comment["RELC_DATE"]), "accepted": good})
        seen[attrs["RELQ_ID"]] = {
            "external_id": attrs["RELQ_ID"], "category": attrs["RELQ_CATEGORY"],
            "title": _tag("RelQSubject", question), "body": _tag("RelQBody", question),
            "author": {"name": attrs["RELQ_USERNAME"]}, "created_at": _time(attrs["RELQ_DATE"]),
            "replies": replies}
    return list(seen.values())


def write(split, path):
    lines = threads(split)
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                    encoding="utf-8")
    return lines
