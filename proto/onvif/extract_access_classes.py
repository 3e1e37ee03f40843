#!/usr/bin/python3
"""Extracts the ONVIF access class (Core §5.9.4.3) of every served operation
from the ONVIF specification sources (DocBook 5) into access_classes.tsv.

    proto/onvif/extract_access_classes.py            write access_classes.tsv
    proto/onvif/extract_access_classes.py --check    exit 1 if it is stale

Operations: those of the port types each service's WSDL binds (except
NotificationConsumer, which the client implements). A document describes an
operation in a <section> titled with its name ("GetNTP", "Get access policy",
or Media2's "Get<entity>Configurations") holding a <variablelist role="op">
whose "access class" entry is <para role="access">CLASS</para>. Operations
without a documented class get one from TDS_REMOVED or default_class(),
marked `default: <reason>`. The Device rows are checked against the table of
FACTS.md §1.4 (beside the docs directory); disagreements are printed.
Requires python3-lxml (Debian).
"""
import argparse
import collections
import difflib
import os
import re
import sys

from lxml import etree

HERE = os.path.dirname(os.path.abspath(__file__))
DB = "{http://docbook.org/ns/docbook}"
WSDL = "{http://schemas.xmlsoap.org/wsdl/}"
WSN = "http://docs.oasis-open.org/wsn/bw-2"
CLASSES = {"PRE_AUTH", "READ_SYSTEM", "READ_SYSTEM_SENSITIVE", "READ_SYSTEM_SECRET",
           "WRITE_SYSTEM", "UNRECOVERABLE", "READ_MEDIA", "ACTUATE"}
EVENTS = "Event handling"  # the Core chapter of the event service
CLIENT_SIDE = {"NotificationConsumer"}

# prefix, WSDL under --schema, spec document, which of its chapters describe the service
SERVICES = [
    ("tds", "ver10/device/wsdl/devicemgmt.wsdl", "Core.xml", lambda ch: ch != EVENTS),
    ("tev", "ver10/events/wsdl/event.wsdl", "Core.xml", lambda ch: ch == EVENTS),
    ("trt", "ver10/media/wsdl/media.wsdl", "Media.xml", None),
    ("tr2", "ver20/media/wsdl/media.wsdl", "Media2.xml", None),
    ("tptz", "ver20/ptz/wsdl/ptz.wsdl", "PTZ.xml", None),
    ("timg", "ver20/imaging/wsdl/imaging.wsdl", "Imaging.xml", None),
    ("tmd", "ver10/deviceio.wsdl", "DeviceIo.xml", None),
]
ORDER = [s[0] for s in SERVICES]
MEDIA_SERVICES = {"trt", "tr2", "tptz", "timg", "tmd"}

# Decided by hand: Device operations still in devicemgmt.wsdl but removed from
# Core (Annex D). Reads of certificates/802.1X follow their successors in the
# Security service; every write is WRITE_SYSTEM like the documented Device writes.
D1, D2 = "removed from Core (Annex D.1)", "removed from Core (Annex D.2)"
TDS_REMOVED = {"UpgradeSystemFirmware": (
    "UNRECOVERABLE", "removed from Core (Annex D.3); UNRECOVERABLE in Core 20.06 like UpgradeFirmware")}
for _ops, _cls, _reason in [
        ("GetRemoteDiscoveryMode GetDPAddresses", "READ_SYSTEM", D1 + ", as GetDiscoveryMode"),
        ("SetRemoteDiscoveryMode SetDPAddresses", "WRITE_SYSTEM", D1 + ", as SetDiscoveryMode"),
        ("GetCertificates GetCACertificates GetCertificatesStatus GetCertificateInformation",
         "READ_SYSTEM_SECRET", D2 + ", as Security GetAllCertificates"),
        ("GetDot1XConfiguration GetDot1XConfigurations", "READ_SYSTEM_SECRET",
         D2 + ", as Security GetDot1XConfiguration"),
        ("GetPkcs10Request", "READ_SYSTEM", D2 + ", as Security CreatePKCS10CSR"),
        ("GetClientCertificateMode", "READ_SYSTEM", D2 + ", as Security GetClientAuthenticationRequired"),
        ("CreateCertificate SetCertificatesStatus DeleteCertificates LoadCertificates "
         "LoadCertificateWithPrivateKey LoadCACertificates SetClientCertificateMode "
         "CreateDot1XConfiguration SetDot1XConfiguration DeleteDot1XConfiguration",
         "WRITE_SYSTEM", D2 + ", a write like the Device service's others")]:
    TDS_REMOVED.update(dict.fromkeys(_ops.split(), (_cls, _reason)))


def text(el):
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def key(title):
    """Operation name as a lower-case key: "Get access policy (deprecated)" -> getaccesspolicy."""
    return re.sub(r"\(.*?\)|\s", "", title).lower()


def section_number(sec):
    """("8.3.6", chapter title) as DocBook numbers it: chapters 1.., appendices A.."""
    parts = []
    while sec.tag == DB + "section":
        parts.append(str(1 + sec.getparent().findall(DB + "section").index(sec)))
        sec = sec.getparent()
    index = sec.getparent().findall(sec.tag).index(sec)
    label = str(index + 1) if sec.tag == DB + "chapter" else chr(ord("A") + index)
    return ".".join([label] + parts[::-1]), text(sec.find(DB + "title"))


def spec_classes(prefix, root, doc, chapters, notes):
    """Exact {key: (class, source)}, [(regex, class, source, title)] of <entity>
    titles, and {key: remark} of operations removed or documented without class."""
    documented, patterns, remarks = {}, [], {}
    for annex in root.iter(DB + "appendix"):
        if text(annex.find(DB + "title")) == "Deprecated Interfaces":
            for sec in annex.iter(DB + "section"):
                for para in sec.iterfind("%sitemizedlist/%slistitem/%spara" % (DB, DB, DB)):
                    remarks[key(text(para))] = "removed (%s Annex %s)" % (doc, section_number(sec)[0])
    for vl in root.iterfind(".//%svariablelist[@role='op']" % DB):
        sec = next(vl.iterancestors(DB + "section"))
        number, chapter = section_number(sec)
        if chapters and not chapters(chapter):
            continue
        title, source, cls = text(sec.find(DB + "title")), "%s §%s" % (doc, number), None
        for entry in vl.findall(DB + "varlistentry"):
            if text(entry.find(DB + "term")).lower() == "access class":
                cls = text(entry.find(".//%spara[@role='access']" % DB))
        if cls is None:
            notes.append("%s: %s (%s) has no access class" % (prefix, title, source))
            remarks[key(title)] = source + " gives no class"
        elif cls not in CLASSES:
            sys.exit("%s: %s (%s) has unknown class %s" % (prefix, title, source, cls))
        elif "<" in title:  # Media2: Get<entity>Configurations
            regex = "".join(r"\w+" if p.startswith("<") else re.escape(p)
                            for p in re.split(r"(<\w+>)", key(title)))
            patterns.append((regex, cls, "%s %s" % (source, re.sub(r"\s", "", title)), title))
        elif documented.setdefault(key(title), (cls, source))[0] != cls:
            notes.append("%s: %s documented twice with different classes" % (prefix, title))
    return documented, patterns, remarks


def port_types(wsdl_path, schema):
    """[(portType element, its namespace)] bound by the WSDL's bindings."""
    root = etree.parse(wsdl_path).getroot()
    result = []
    for binding in root.findall(WSDL + "binding"):
        prefix, name = binding.get("type").split(":")
        ns, doc = binding.nsmap[prefix], root
        if ns != root.get("targetNamespace"):  # e.g. WS-BaseNotification: external/bw-2.wsdl
            location = root.find(WSDL + "import[@namespace='%s']" % ns).get("location")
            doc = etree.parse(os.path.join(schema, "external", os.path.basename(location))
                              if "://" in location else
                              os.path.join(os.path.dirname(wsdl_path), location)).getroot()
        if name not in CLIENT_SIDE:
            result.append((doc.find(WSDL + "portType[@name='%s']" % name), ns))
    return result


def default_class(prefix, pt_ns, name, documented):
    """Class and reason by rule for an operation the documents give no class."""
    if name == "GetServiceCapabilities":
        return "PRE_AUTH", "GetServiceCapabilities is PRE_AUTH in every service"
    if pt_ns == WSN:
        return "READ_MEDIA", ("WS-BaseNotification operation, no class in Core §9 "
                              "(PullMessages, Renew: READ_MEDIA)")
    verb = re.match("[A-Z][a-z]*", name).group()
    if prefix in MEDIA_SERVICES and verb == "Get":
        return "READ_MEDIA", "read-only operation of a media service"
    siblings = {c for n, (c, _) in documented.items() if n.startswith(verb.lower())}
    if prefix in MEDIA_SERVICES and len(siblings) == 1:
        return siblings.pop(), "as the service's documented %s* operations" % verb
    sys.exit("no rule gives %s %s an access class" % (prefix, name))


def build(docs, schema, notes):
    rows = []
    for prefix, wsdl, doc, chapters in SERVICES:
        root = etree.parse(os.path.join(docs, doc)).getroot()
        documented, patterns, remarks = spec_classes(prefix, root, doc, chapters, notes)
        used = collections.Counter()
        for pt, pt_ns in port_types(os.path.join(schema, wsdl), schema):
            for op in pt.findall(WSDL + "operation"):
                name = op.get("name")
                cls, source = documented.get(name.lower(), (None, None))
                used[name.lower()] += 1
                for regex, pcls, psource, title in patterns if cls is None else []:
                    if re.fullmatch(regex, name.lower()):
                        cls, source = pcls, psource
                        used[title] += 1
                if cls is None and prefix == "tds" and name in TDS_REMOVED:
                    cls, source = TDS_REMOVED[name][0], "default: " + TDS_REMOVED[name][1]
                elif cls is None:
                    cls, reason = default_class(prefix, pt_ns, name, documented)
                    source = "default: " + "; ".join(filter(None, [remarks.get(name.lower()), reason]))
                rows.append((prefix, pt.get("name"), name, cls, source))
        for title in sorted(set(documented) - set(used)):
            notes.append("%s: %s (%s) is documented but in no served port type"
                         % (prefix, title, documented[title][1]))
        for title in [p[3] for p in patterns]:
            notes.append("%s: %s stands for %d operations" % (prefix, title, used[title]))
    rows.sort(key=lambda r: (ORDER.index(r[0]), r[1], r[2]))
    return rows


def check_facts(path, rows):
    """Differences between the tds rows and the table of FACTS.md §1.4."""
    if not os.path.exists(path):
        return ["%s not found: Device rows not checked" % path]
    table, inside = {}, False
    for line in open(path, encoding="utf-8"):
        if line.startswith("#"):
            inside = line.startswith("### 1.4")
        elif inside and line.startswith("| ") and not line.startswith("| Operation"):
            cells = [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
            table[re.match(r"\w+", cells[0]).group()] = (cells[1], "§" + cells[2])
    ours = {r[2]: (r[3], r[4].split()[-1]) for r in rows if r[0] == "tds" and "default" not in r[4]}
    diffs = []
    for op in sorted(set(table) | set(ours)):
        want, got = table.get(op), ours.get(op)
        if want != got:
            diffs.append("%s: FACTS.md %s, Core.xml %s" % (op, " ".join(want or "-"), " ".join(got or "-")))
    return diffs


def render(rows, docs):
    releases = ["%s %s" % (doc, text(etree.parse(os.path.join(docs, doc)).find(".//%sreleaseinfo" % DB)))
                for doc in sorted({s[2] for s in SERVICES})]
    head = [
        "# ONVIF access class (Core §5.9.4.3) of every operation of the served port types.",
        "# generated by extract_access_classes.py from the ONVIF spec documents; "
        "rows marked `default` were decided by hand",
        "# (rules and reasons in the script). Documents: " + ", ".join(releases) + ".",
        "# Not listed: WS-BaseNotification NotificationConsumer (Notify), bound in event.wsdl",
        "# but implemented by the client. Regenerate, never edit: proto/onvif/extract_access_classes.py",
        "# service_prefix\tportType\toperation\taccess_class\tsource",
    ]
    return "\n".join(head + ["\t".join(r) for r in rows]) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", default=os.path.normpath(os.path.join(HERE, "../../../shared/onvif/doc")))
    ap.add_argument("--schema", default=os.path.join(HERE, "schema"))
    ap.add_argument("--out", default=os.path.join(HERE, "access_classes.tsv"))
    ap.add_argument("--check", action="store_true", help="exit 1 if --out differs from what would be written")
    args = ap.parse_args()
    notes = []
    rows = build(args.docs, args.schema, notes)
    for diff in check_facts(os.path.join(args.docs, "..", "FACTS.md"), rows):
        print("FACTS.md §1.4 disagreement: " + diff, file=sys.stderr)
    content = render(rows, args.docs)
    if args.check:
        old = open(args.out, encoding="utf-8").read() if os.path.exists(args.out) else ""
        sys.stdout.writelines(difflib.unified_diff(
            old.splitlines(True), content.splitlines(True), args.out, "expected"))
        sys.exit(old != content)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(content)
    print("\n".join("note: " + n for n in notes))
    per = collections.Counter(r[0] for r in rows)
    defaults = collections.Counter(r[0] for r in rows if r[4].startswith("default"))
    per["total"], defaults["total"] = len(rows), sum(defaults.values())
    for prefix in ORDER + ["total"]:
        print("%-5s %3d operations, %2d default" % (prefix, per[prefix], defaults[prefix]))


if __name__ == "__main__":
    main()
