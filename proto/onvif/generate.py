#!/usr/bin/python3
"""Generates the ONVIF protobuf declarations and the operations table from the
vendored WSDL/XSD files (proto/onvif/schema/).

    proto/onvif/generate.py            write proto/onvif/generated/
    proto/onvif/generate.py --check    exit 1 if the committed output is stale

Output (deterministic; field numbers follow schema order, so they only change
when the schema does):
  generated/<prefix>.proto   one file per XML namespace (tt, tds, tev, ...):
                             every type reachable from the served operations,
                             with the XML mapping options of xml.proto
  generated/operations.cc    every operation of every served port type: its
                             body elements, wsa:Action URIs, message types and
                             access class (from access_classes.tsv)

How XSD maps (see xml.proto for the options the codec reads):
  complexType / anonymous type   message (anonymous local types: Owner_Element)
  complexContent extension       the base's fields first, then the extension's
  element min/maxOccurs          optional / repeated (+ required, min/max_occurs)
  attribute                      field with (attribute); use=required -> (required)
  simpleContent                  field xml_text (text) plus the attributes
  enumeration                    enum; each value carries its XML spelling
  xs:list                        repeated scalar with (list)
  xs:choice of single elements   oneof
  xs:any / xs:anyAttribute       repeated raw XML / XmlAttribute, kept as received
  xs:anyType element             raw inner XML (raw)
  facets                         min/max value, min/max length, pattern options
Requires python3-lxml (Debian).
"""
import argparse
import os
import re
import sys

from lxml import etree

HERE = os.path.dirname(os.path.abspath(__file__))
XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP12_BINDING = "http://schemas.xmlsoap.org/wsdl/soap12/"
WSAM = ["http://www.w3.org/2007/05/addressing/metadata",
        "http://www.w3.org/2006/05/addressing/wsdl"]

# XML namespace -> (prefix, proto package suffix). The prefixes are the ones
# the gateway writes (soap/namespaces.cc declares the same table).
NAMESPACES = {
    "http://www.onvif.org/ver10/schema": "tt",
    "http://www.onvif.org/ver10/device/wsdl": "tds",
    "http://www.onvif.org/ver10/events/wsdl": "tev",
    "http://www.onvif.org/ver10/media/wsdl": "trt",
    "http://www.onvif.org/ver20/media/wsdl": "tr2",
    "http://www.onvif.org/ver20/ptz/wsdl": "tptz",
    "http://www.onvif.org/ver20/imaging/wsdl": "timg",
    "http://www.onvif.org/ver10/deviceIO/wsdl": "tmd",
    "http://docs.oasis-open.org/wsn/b-2": "wsnt",
    "http://docs.oasis-open.org/wsn/t-1": "wstop",
    "http://docs.oasis-open.org/wsrf/bf-2": "wsrf_bf",
    "http://docs.oasis-open.org/wsrf/r-2": "wsrf_r",
    "http://www.w3.org/2005/08/addressing": "wsa",
    "http://www.w3.org/2005/05/xmlmime": "xmime",
    "http://www.w3.org/2004/08/xop/include": "xop",
    "http://www.w3.org/2003/05/soap-envelope": "env",
    "http://www.w3.org/XML/1998/namespace": "xml",
    "http://docs.oasis-open.org/wsn/bw-2": "wsntw",
    "http://docs.oasis-open.org/wsrf/rw-2": "wsrf_rw",
}

# Canonical locations of imported schemas -> vendored copies.
LOCATIONS = {
    "http://docs.oasis-open.org/wsn/b-2.xsd": "external/b-2.xsd",
    "http://docs.oasis-open.org/wsn/t-1.xsd": "external/t-1.xsd",
    "http://docs.oasis-open.org/wsrf/bf-2.xsd": "external/bf-2.xsd",
    "http://docs.oasis-open.org/wsrf/r-2.xsd": "external/r-2.xsd",
    "http://docs.oasis-open.org/wsn/bw-2.wsdl": "external/bw-2.wsdl",
    "http://docs.oasis-open.org/wsrf/rw-2.wsdl": "external/rw-2.wsdl",
    "http://www.w3.org/2005/08/addressing/ws-addr.xsd": "external/ws-addr.xsd",
    "http://www.w3.org/2001/xml.xsd": "external/xml.xsd",
    "https://www.w3.org/2005/05/xmlmime": "external/xmlmime.xsd",
    "https://www.w3.org/2004/08/xop/include": "external/xop-include.xsd",
    "https://www.w3.org/2003/05/soap-envelope": "external/soap-envelope.xsd",
}

# The services the gateway serves: (prefix, WSDL, ONVIF's published WSDL URL,
# port types in precedence order). A body element bound twice within one
# service keeps its first port type (Renew: SubscriptionManager).
SERVICES = [
    ("tds", "ver10/device/wsdl/devicemgmt.wsdl",
     "http://www.onvif.org/ver10/device/wsdl/devicemgmt.wsdl", ["Device"]),
    ("tev", "ver10/events/wsdl/event.wsdl",
     "http://www.onvif.org/ver10/events/wsdl/event.wsdl",
     ["EventPortType", "PullPointSubscription", "SubscriptionManager",
      "NotificationProducer", "PullPoint", "CreatePullPoint", "PausableSubscriptionManager"]),
    ("trt", "ver10/media/wsdl/media.wsdl",
     "http://www.onvif.org/ver10/media/wsdl/media.wsdl", ["Media"]),
    ("tr2", "ver20/media/wsdl/media.wsdl",
     "http://www.onvif.org/ver20/media/wsdl/media.wsdl", ["Media2"]),
    ("tptz", "ver20/ptz/wsdl/ptz.wsdl",
     "http://www.onvif.org/ver20/ptz/wsdl/ptz.wsdl", ["PTZ"]),
    ("timg", "ver20/imaging/wsdl/imaging.wsdl",
     "http://www.onvif.org/ver20/imaging/wsdl/imaging.wsdl", ["ImagingPort"]),
    ("tmd", "ver10/deviceio.wsdl",
     "http://www.onvif.org/ver10/deviceio.wsdl", ["DeviceIOPort"]),
]

# Elements that ONVIF places into xs:any slots, which the gateway reads or
# writes: the notification payload, a subscription filter's message content
# expression, the Notify a push subscription sends, and the topic set's
# message descriptions.
EXTRA_ROOT_ELEMENTS = [("http://www.onvif.org/ver10/schema", "Message"),
                       ("http://docs.oasis-open.org/wsn/b-2", "MessageContent"),
                       ("http://docs.oasis-open.org/wsn/b-2", "Notify")] + [
    # The WSDL faults the event service answers, written into env:Detail.
    ("http://docs.oasis-open.org/wsrf/r-2", "ResourceUnknownFault"),
    ("http://www.onvif.org/ver10/events/wsdl", "PullMessagesFaultResponse"),
] + [("http://docs.oasis-open.org/wsn/b-2", f) for f in (
    "UnacceptableInitialTerminationTimeFault", "UnacceptableTerminationTimeFault",
    "UnableToGetMessagesFault", "TopicNotSupportedFault", "InvalidTopicExpressionFault",
    "TopicExpressionDialectUnknownFault", "InvalidMessageContentExpressionFault",
    "InvalidFilterFault", "SubscribeCreationFailedFault", "UnrecognizedPolicyRequestFault")]
EXTRA_ROOT_TYPES = [("http://www.onvif.org/ver10/schema", "MessageDescription")]

# Options the schema cannot say: values that hold a QName-prefixed expression
# (a topic expression's prefix must be declared where it is written).
FIELD_OVERRIDES = {
    ("http://docs.oasis-open.org/wsn/b-2", "TopicExpressionType", "xml_text"): {"qname": True},
}

# XSD built-in type -> (proto scalar, xsd_type option or None, min, max)
BUILTINS = {
    "string": ("string", None, None, None),
    "normalizedString": ("string", None, None, None),
    "token": ("string", "token", None, None),
    "language": ("string", None, None, None),
    "Name": ("string", None, None, None),
    "NCName": ("string", "NCName", None, None),
    "NMTOKEN": ("string", None, None, None),
    "NMTOKENS": ("string", None, None, None),
    "ID": ("string", "NCName", None, None),
    "IDREF": ("string", "NCName", None, None),
    "anyURI": ("string", "anyURI", None, None),
    "QName": ("string", "QName", None, None),
    "duration": ("string", "duration", None, None),
    "dateTime": ("string", "dateTime", None, None),
    "date": ("string", "date", None, None),
    "time": ("string", "time", None, None),
    "anySimpleType": ("string", None, None, None),
    "base64Binary": ("bytes", "base64Binary", None, None),
    "hexBinary": ("bytes", "hexBinary", None, None),
    "boolean": ("bool", None, None, None),
    "float": ("float", None, None, None),
    "double": ("double", None, None, None),
    "decimal": ("double", "decimal", None, None),
    "int": ("int32", None, None, None),
    "unsignedInt": ("uint32", None, None, None),
    "long": ("int64", None, None, None),
    "unsignedLong": ("uint64", None, None, None),
    "short": ("int32", None, -32768, 32767),
    "unsignedShort": ("uint32", None, 0, 65535),
    "byte": ("int32", None, -128, 127),
    "unsignedByte": ("uint32", None, 0, 255),
    "integer": ("int64", "integer", None, None),
    "nonNegativeInteger": ("uint64", "integer", None, None),
    "positiveInteger": ("uint64", "integer", 1, None),
    "nonPositiveInteger": ("int64", "integer", None, 0),
    "negativeInteger": ("int64", "integer", None, -1),
}


def q(ns, local):
    return "{%s}%s" % (ns, local)


def node_key(node):
    """A stable identity for a schema node (lxml proxies are not stable)."""
    tree = node.getroottree()
    return (tree.docinfo.URL, tree.getpath(node))


def kids(node):
    """Element children, without comments and annotations."""
    return [c for c in node if isinstance(c.tag, str) and c.tag != q(XS, "annotation")]


class Schemas:
    """Every global component of the loaded schema documents, by QName."""

    def __init__(self, root):
        self.root = root
        self.loaded = set()
        self.types, self.elements, self.groups = {}, {}, {}
        self.attributes, self.attribute_groups = {}, {}
        self.wsdl_messages, self.port_types = {}, {}
        self.qualified = {}  # schema element -> elementFormDefault qualified?

    def resolve(self, base_file, location):
        if location in LOCATIONS:
            return os.path.join(self.root, LOCATIONS[location])
        if "://" in location:
            raise SystemExit("no vendored copy of %s (imported by %s)" % (location, base_file))
        return os.path.normpath(os.path.join(os.path.dirname(base_file), location))

    def load(self, path):
        path = os.path.normpath(path)
        if path in self.loaded:
            return
        self.loaded.add(path)
        doc = etree.parse(path).getroot()
        if doc.tag == q(XS, "schema"):
            self.load_schema(doc, path)
            return
        for imp in doc.findall(q(WSDL, "import")):
            self.load(self.resolve(path, imp.get("location")))
        for schema in doc.iter(q(XS, "schema")):
            self.load_schema(schema, path)
        tns = doc.get("targetNamespace")
        for m in doc.findall(q(WSDL, "message")):
            self.wsdl_messages[(tns, m.get("name"))] = m
        for pt in doc.findall(q(WSDL, "portType")):
            self.port_types[(tns, pt.get("name"))] = (pt, tns)

    def load_schema(self, schema, path, tns=None):
        tns = schema.get("targetNamespace", tns)
        for child in schema:
            tag = child.tag
            if tag in (q(XS, "import"), q(XS, "include")) and child.get("schemaLocation"):
                target = self.resolve(path, child.get("schemaLocation"))
                if tag == q(XS, "include"):
                    if target not in self.loaded:
                        self.loaded.add(target)
                        self.load_schema(etree.parse(target).getroot(), target, tns)
                else:
                    self.load(target)
                continue
            name = child.get("name")
            if name is None:
                continue
            key = (tns, name)
            table = {
                q(XS, "complexType"): self.types, q(XS, "simpleType"): self.types,
                q(XS, "element"): self.elements, q(XS, "group"): self.groups,
                q(XS, "attribute"): self.attributes,
                q(XS, "attributeGroup"): self.attribute_groups,
            }.get(tag)
            if table is not None:
                table[key] = child
                child.set("{urn:gen}tns", tns or "")
        self.qualified[id(schema)] = schema.get("elementFormDefault") == "qualified"
        for node in schema.iter():
            if node.tag in (q(XS, "element"), q(XS, "attribute"), q(XS, "complexType"),
                            q(XS, "simpleType")):
                node.set("{urn:gen}tns", tns or "")
            if node.tag == q(XS, "element"):
                node.set("{urn:gen}qualified", "1" if schema.get("elementFormDefault") ==
                         "qualified" else "0")


def qname(node, text):
    """Resolves a QName attribute value in the scope of `node`."""
    if ":" in text:
        prefix, local = text.split(":", 1)
    else:
        prefix, local = None, text
    ns = node.nsmap.get(prefix)
    if ns is None and prefix == "xml":  # bound in every document
        ns = "http://www.w3.org/XML/1998/namespace"
    if ns is None and prefix is None:
        ns = ""
    if ns is None:
        raise SystemExit("unknown prefix in %r" % text)
    return (ns, local)


def proto_ident(name):
    ident = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not ident[0].isalpha():
        ident = "X" + ident
    return ident


class Field:
    def __init__(self, name, xml_name, ns, kind, type_ref, repeated=False, required=False):
        self.name = name            # proto field name
        self.xml_name = xml_name    # element/attribute local name (or prefixed attribute)
        self.ns = ns                # element namespace URI ('' = unqualified)
        self.kind = kind            # element, attribute, text, any, any_attribute, raw
        self.type_ref = type_ref    # ('scalar', proto) | ('message', key) | ('enum', key)
        self.repeated = repeated
        self.required = required
        self.min_occurs = 0
        self.max_occurs = 1         # 0 = unbounded
        self.options = {}
        self.oneof = None
        self.default = None


class Message:
    def __init__(self, ns, name, doc=None):
        self.ns, self.name, self.doc = ns, name, doc
        self.fields = []
        self.xml_type = None
        self.xml_base = None


class Enum:
    def __init__(self, ns, name, values):
        self.ns, self.name, self.values = ns, name, values


class Generator:
    def __init__(self, schemas):
        self.s = schemas
        self.messages = {}   # (ns, name) -> Message (name unique per ns)
        self.enums = {}
        self.type_keys = {}  # id(xsd node) -> (ns, name) of the generated message/enum
        self.pending = []
        self.names_taken = {}

    # ---------------------------------------------------------- naming
    def claim(self, ns, name):
        taken = self.names_taken.setdefault(ns, set())
        base, n = name, 2
        while name in taken:
            name = "%s_%d" % (base, n)
            n += 1
        taken.add(name)
        return name

    # ---------------------------------------------------------- types
    def simple_info(self, node_or_qn, ctx_name):
        """Returns (type_ref, options, list?) for a simple type (QName or node)."""
        if isinstance(node_or_qn, tuple):
            ns, local = node_or_qn
            if ns == XS:
                if local not in BUILTINS:
                    raise SystemExit("unsupported builtin xs:%s" % local)
                scalar, xsd, lo, hi = BUILTINS[local]
                opts = {}
                if xsd:
                    opts["xsd_type"] = xsd
                if lo is not None:
                    opts["min_value"] = lo
                if hi is not None:
                    opts["max_value"] = hi
                return ("scalar", scalar), opts, False
            node = self.s.types.get((ns, local))
            if node is None:
                raise SystemExit("unknown type {%s}%s" % (ns, local))
            if node.tag == q(XS, "complexType"):
                return None
            return self.simple_node(node, local, ns)
        return self.simple_node(node_or_qn, ctx_name, node_or_qn.get("{urn:gen}tns"))

    def simple_node(self, node, name, ns):
        restriction = node.find(q(XS, "restriction"))
        lst = node.find(q(XS, "list"))
        union = node.find(q(XS, "union"))
        if lst is not None:
            if lst.get("itemType"):
                item = self.simple_info(qname(lst, lst.get("itemType")), name)
            else:
                item = self.simple_info(lst.find(q(XS, "simpleType")), name + "Item")
            return item[0], item[1], True
        if union is not None:
            # A union of built-in types keeps their names (the codec accepts a
            # value of any of them); anything richer is a plain string.
            members = [qname(union, m) for m in (union.get("memberTypes") or "").split()]
            if members and not kids(union) and all(ns == XS and BUILTINS.get(l, (0, None))[1]
                                                   for ns, l in members):
                return ("scalar", "string"), {"xsd_type": " ".join(
                    BUILTINS[l][1] for _, l in members)}, False
            return ("scalar", "string"), {}, False
        if restriction is None:
            return ("scalar", "string"), {}, False
        if restriction.get("base"):
            base_ref, base_opts, is_list = self.simple_info(
                qname(restriction, restriction.get("base")), name)
        else:
            base_ref, base_opts, is_list = self.simple_info(
                restriction.find(q(XS, "simpleType")), name + "Base")
        opts = dict(base_opts)
        values = [e.get("value") for e in restriction.findall(q(XS, "enumeration"))]
        if values and base_ref == ("scalar", "string"):
            key = self.type_keys.get(node_key(node))
            if key is None:
                key = (ns, self.claim(ns, proto_ident(name)))
                self.type_keys[node_key(node)] = key
                self.enums[key] = Enum(ns, key[1], values)
            return ("enum", key), {}, is_list
        for facet, opt in (("minInclusive", "min_value"), ("maxInclusive", "max_value"),
                           ("minLength", "min_length"), ("maxLength", "max_length"),
                           ("length", "length")):
            f = restriction.find(q(XS, facet))
            if f is not None:
                v = f.get("value")
                opts[opt] = float(v) if "." in v or "e" in v.lower() else int(v)
        if restriction.find(q(XS, "length")) is not None:
            opts["min_length"] = opts["max_length"] = opts.pop("length")
        for facet, opt, delta in (("minExclusive", "min_value", 1), ("maxExclusive", "max_value", -1)):
            f = restriction.find(q(XS, facet))
            if f is not None and base_ref[1] in ("int32", "int64", "uint32", "uint64"):
                opts[opt] = int(f.get("value")) + delta
        pat = restriction.find(q(XS, "pattern"))
        if pat is not None:
            opts["pattern"] = pat.get("value")
        return base_ref, opts, is_list

    def message_for(self, node, ns, name):
        """The generated message for complexType `node` (created on first use)."""
        key = self.type_keys.get(node_key(node))
        if key is not None:
            return key
        key = (ns, self.claim(ns, proto_ident(name)))
        self.type_keys[node_key(node)] = key
        msg = Message(ns, key[1])
        if node.get("name"):
            msg.xml_type = (ns, node.get("name"))
        self.messages[key] = msg
        self.pending.append((msg, node))
        return key

    def type_ref_for(self, type_qn, ctx_name):
        """(kind, ref, options, list) for an element/attribute type QName."""
        ns, local = type_qn
        if ns == XS and local == "anyType":
            return "raw", None, {}, False
        if ns != XS:
            node = self.s.types.get(type_qn)
            if node is None:
                raise SystemExit("unknown type {%s}%s" % type_qn)
            if node.tag == q(XS, "complexType"):
                return "element", ("message", self.message_for(node, ns, local)), {}, False
        ref, opts, is_list = self.simple_info(type_qn, ctx_name)
        return "element", ref, opts, is_list

    # ---------------------------------------------------------- content
    def build(self, msg, node):
        fields = []
        self.content(node, msg, fields, msg.ns)
        # Names: proto identifiers, unique case-insensitively (C++ accessors).
        seen = set()
        for f in fields:
            name = proto_ident(f.name)
            while name.lower() in seen:
                name += "_attr" if f.kind == "attribute" else "_2"
            seen.add(name.lower())
            f.name = name
        for f in fields:
            f.options.update(FIELD_OVERRIDES.get((msg.ns, msg.name, f.name), {}))
        msg.fields = fields

    def content(self, node, msg, fields, owner_ns):
        """Appends the fields of complexType `node` (base type first)."""
        if node.get("mixed") == "true":
            fields.append(Field("xml_text", "", "", "text", ("scalar", "string")))
        for child in kids(node):
            tag = child.tag
            if tag == q(XS, "complexContent"):
                if child.get("mixed") == "true" and not any(f.kind == "text" for f in fields):
                    fields.append(Field("xml_text", "", "", "text", ("scalar", "string")))
                deriv = kids(child)[0]
                base = qname(deriv, deriv.get("base"))
                if deriv.tag == q(XS, "extension") and base != (XS, "anyType"):
                    base_node = self.s.types[base]
                    msg.xml_base = base
                    self.content(base_node, msg, fields, base[0])
                self.content(deriv, msg, fields, owner_ns)
            elif tag == q(XS, "simpleContent"):
                deriv = kids(child)[0]
                base = qname(deriv, deriv.get("base"))
                base_node = self.s.types.get(base)
                if base_node is not None and base_node.tag == q(XS, "complexType"):
                    self.content(base_node, msg, fields, base[0])
                elif not any(f.kind == "text" for f in fields):
                    ref, opts, is_list = self.simple_info(base, msg.name + "Value")
                    f = Field("xml_text", "", "", "text", ref, repeated=is_list)
                    f.options.update(opts)
                    if is_list:
                        f.options["list"] = True
                    fields.append(f)
                self.attributes(deriv, msg, fields)
            elif tag in (q(XS, "sequence"), q(XS, "choice"), q(XS, "all"), q(XS, "group")):
                self.particle(child, msg, fields, 1, 1)
        self.attributes(node, msg, fields)

    def attributes(self, node, msg, fields):
        for child in node:
            if child.tag == q(XS, "attribute"):
                self.attribute(child, msg, fields)
            elif child.tag == q(XS, "attributeGroup"):
                group = self.s.attribute_groups[qname(child, child.get("ref"))]
                self.attributes(group, msg, fields)
            elif child.tag == q(XS, "anyAttribute"):
                if not any(f.kind == "any_attribute" for f in fields):
                    f = Field("xml_any_attribute", "", "", "any_attribute",
                              ("message", ("", "XmlAttribute")), repeated=True)
                    f.options["any_namespace"] = child.get("namespace", "##any")
                    f.options["any_process"] = child.get("processContents", "strict")
                    fields.append(f)

    def attribute(self, node, msg, fields):
        if node.get("use") == "prohibited":
            return
        if node.get("ref"):
            ref_qn = qname(node, node.get("ref"))
            decl = self.s.attributes.get(ref_qn)
            xml_name = "%s:%s" % (NAMESPACES[ref_qn[0]], ref_qn[1])
            name = ref_qn[1]
        else:
            decl = node
            xml_name = name = node.get("name")
        if decl is not None and decl.get("type"):
            ref, opts, is_list = self.simple_info(qname(decl, decl.get("type")), msg.name + "_" + name)
        elif decl is not None and decl.find(q(XS, "simpleType")) is not None:
            ref, opts, is_list = self.simple_info(decl.find(q(XS, "simpleType")), msg.name + "_" + name)
        else:
            ref, opts, is_list = ("scalar", "string"), {}, False
        f = Field(name, xml_name, "", "attribute", ref, repeated=is_list,
                  required=node.get("use") == "required")
        f.options.update(opts)
        if is_list:
            f.options["list"] = True
        default = node.get("default") or (decl.get("default") if decl is not None else None)
        if default is not None and not is_list:
            f.default = default
        fields.append(f)

    def particle(self, node, msg, fields, min_o, max_o):
        """Appends the fields of a sequence/choice/all/group particle."""
        lo = int(node.get("minOccurs", "1")) * min_o
        mx = node.get("maxOccurs", "1")
        hi = 0 if mx == "unbounded" or max_o == 0 else int(mx) * max_o
        tag = node.tag
        if tag == q(XS, "group"):
            group = self.s.groups[qname(node, node.get("ref"))]
            for child in kids(group):
                if child.tag in (q(XS, "sequence"), q(XS, "choice"), q(XS, "all")):
                    self.particle(child, msg, fields, lo, hi)
            return
        if tag == q(XS, "choice"):
            members = kids(node)
            simple = hi == 1 and all(
                c.tag == q(XS, "element") and c.get("maxOccurs", "1") == "1" for c in members)
            start = len(fields)
            for child in members:
                self.particle_child(child, msg, fields, 0, hi)
            if simple and len(members) > 1:
                groups = len({f.oneof for f in fields[:start] if f.oneof})
                group = "choice" if groups == 0 else "choice_%d" % (groups + 1)
                for f in fields[start:]:
                    f.oneof = group
                    f.required = False
            elif len(members) > 1 and all(c.tag == q(XS, "element") for c in members):
                # A choice of repeated elements: plain fields, marked so the
                # codec accepts only one of them.
                groups = len({f.options["choice"] for f in fields[:start] if "choice" in f.options})
                for f in fields[start:]:
                    f.options["choice"] = "choice_%d" % (groups + 1)
            return
        for child in kids(node):
            self.particle_child(child, msg, fields, lo, hi)

    def particle_child(self, child, msg, fields, lo, hi):
        if child.tag == q(XS, "element"):
            self.element(child, msg, fields, lo, hi)
        elif child.tag == q(XS, "any"):
            if not any(f.kind == "any" for f in fields):
                f = Field("xml_any", "", "", "any", ("scalar", "string"), repeated=True)
                f.options["any_namespace"] = child.get("namespace", "##any")
                f.options["any_process"] = child.get("processContents", "strict")
                fields.append(f)
        else:
            self.particle(child, msg, fields, lo, hi)

    def element(self, node, msg, fields, lo, hi):
        e_lo = int(node.get("minOccurs", "1")) * lo
        mx = node.get("maxOccurs", "1")
        e_hi = 0 if mx == "unbounded" or hi == 0 else int(mx) * hi
        if node.get("ref"):
            ref_qn = qname(node, node.get("ref"))
            decl = self.s.elements[ref_qn]
            name, ns = ref_qn[1], ref_qn[0]
        else:
            decl = node
            name = node.get("name")
            ns = node.get("{urn:gen}tns") if node.get("{urn:gen}qualified") == "1" else ""
        kind, ref, opts, is_list = self.element_type(decl, msg.name + "_" + name)
        repeated = e_hi != 1
        f = Field(name, name, ns, kind, ref, repeated=repeated or is_list,
                  required=e_lo >= 1)
        f.options.update(opts)
        if is_list:
            if repeated:
                raise SystemExit("repeated xs:list element %s" % name)
            f.options["list"] = True
        if repeated:
            f.min_occurs, f.max_occurs = e_lo, e_hi
        default = decl.get("default") or decl.get("fixed")
        if default is not None and not repeated and not is_list and kind == "element":
            f.default = default
        fields.append(f)

    def element_type(self, decl, anon_name):
        if decl.get("type"):
            return self.type_ref_for(qname(decl, decl.get("type")), anon_name)
        ct = decl.find(q(XS, "complexType"))
        st = decl.find(q(XS, "simpleType"))
        tns = decl.get("{urn:gen}tns")
        if ct is not None:
            if decl.getparent().tag == q(XS, "schema"):
                anon_name = decl.get("name")
            return "element", ("message", self.message_for(ct, tns, anon_name)), {}, False
        if st is not None:
            ref, opts, is_list = self.simple_info(st, anon_name)
            return "element", ref, opts, is_list
        return "raw", None, {}, False

    def root_element(self, qn):
        """The message of a global element (its named or anonymous type)."""
        decl = self.s.elements[qn]
        kind, ref, _, _ = self.element_type(decl, qn[1])
        if kind != "element" or ref[0] != "message":
            raise SystemExit("element {%s}%s is not of a complex type" % qn)
        return ref[1]

    def run(self, roots, root_types=()):
        for qn in roots:
            self.root_element(qn)
        for qn in root_types:
            self.message_for(self.s.types[qn], qn[0], qn[1])
        while self.pending:
            msg, node = self.pending.pop(0)
            self.build(msg, node)


# ------------------------------------------------------------------ output

def fmt_option_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return '"%s"' % v.replace("\\", "\\\\").replace('"', '\\"')


def enum_value_ident(enum_name, value, used):
    ident = re.sub(r"[^A-Za-z0-9]+", "_", value).strip("_") or "Empty"
    ident = "%s_%s" % (enum_name, ident)
    base, n = ident, 2
    while ident in used:
        ident = "%s_%d" % (base, n)
        n += 1
    used.add(ident)
    return ident


def type_name(ref, file_ns):
    kind, target = ref
    if kind == "scalar":
        return target
    ns, name = target
    if ns == "":
        return "onvifgw.onvif." + name
    if ns == file_ns:
        return name
    return "onvifgw.onvif.%s.%s" % (NAMESPACES[ns], name)


HEADER = """// GENERATED by proto/onvif/generate.py from the ONVIF WSDL/XSD files in
// proto/onvif/schema/ (see LICENSE.md there). Do not edit: change the
// generator and run it again. The XML mapping options are read by
// gateway/soap/codec.cc (see proto/onvif/xml.proto).
"""


def write_proto(ns, gen, out_dir, enum_idents):
    prefix = NAMESPACES[ns]
    messages = sorted((m for (n, _), m in gen.messages.items() if n == ns), key=lambda m: m.name)
    enums = sorted((e for (n, _), e in gen.enums.items() if n == ns), key=lambda e: e.name)
    deps = set()
    for m in messages:
        for f in m.fields:
            if f.type_ref and f.type_ref[0] in ("message", "enum"):
                dep_ns = f.type_ref[1][0]
                if dep_ns != ns:
                    deps.add(dep_ns)
    lines = [HEADER, 'syntax = "proto2";', "", "package onvifgw.onvif.%s;" % prefix, "",
             'import "onvif/xml.proto";']
    for dep in sorted(deps, key=lambda d: NAMESPACES.get(d, "")):
        if dep:
            lines.append('import "onvif/generated/%s.proto";' % NAMESPACES[dep])
    lines += ["", "option optimize_for = CODE_SIZE;",
              'option (onvifgw.onvif.xml_ns) = "%s";' % prefix,
              'option (onvifgw.onvif.xml_uri) = "%s";' % ns, ""]
    for e in enums:
        lines.append("enum %s {" % e.name)
        used = set()
        for i, v in enumerate(e.values):
            ident = enum_value_ident(e.name, v, used)
            enum_idents[(e.ns, e.name, v)] = ident
            lines.append('  %s = %d [(onvifgw.onvif.xml_value) = %s];' % (ident, i, fmt_option_value(v)))
        lines.append("}")
        lines.append("")
    for m in messages:
        opts = []
        if m.xml_type:
            opts.append("  option (onvifgw.onvif.xml_type) = \"%s:%s\";" % (
                NAMESPACES[m.xml_type[0]], m.xml_type[1]))
        if m.xml_base:
            opts.append("  option (onvifgw.onvif.xml_base) = \"%s:%s\";" % (
                NAMESPACES[m.xml_base[0]], m.xml_base[1]))
        lines.append("message %s {" % m.name)
        lines += opts
        number = 0
        open_oneof = None
        for f in m.fields:
            number += 1
            if f.oneof != open_oneof:
                if open_oneof:
                    lines.append("  }")
                if f.oneof:
                    lines.append("  oneof %s {" % f.oneof)
                open_oneof = f.oneof
            indent = "    " if f.oneof else "  "
            label = "" if f.oneof else ("repeated " if f.repeated else "optional ")
            if f.kind in ("raw",):
                tname = "string"
            else:
                tname = type_name(f.type_ref, ns)
            o = []
            if f.kind == "attribute":
                o.append("(onvifgw.onvif.attribute) = true")
            elif f.kind == "text":
                o.append("(onvifgw.onvif.text) = true")
            elif f.kind == "any":
                o.append("(onvifgw.onvif.any) = true")
            elif f.kind == "any_attribute":
                o.append("(onvifgw.onvif.any_attribute) = true")
            elif f.kind == "raw":
                o.append("(onvifgw.onvif.raw) = true")
            if f.kind in ("element", "raw", "attribute") and f.xml_name != f.name:
                o.append("(onvifgw.onvif.name) = %s" % fmt_option_value(f.xml_name))
            if f.kind in ("element", "raw") and f.ns != ns:
                o.append("(onvifgw.onvif.field_ns) = %s" % fmt_option_value(
                    NAMESPACES[f.ns] if f.ns else "-"))
            if f.required:
                o.append("(onvifgw.onvif.required) = true")
            if f.repeated and f.kind in ("element", "raw") and not f.options.get("list"):
                if f.min_occurs:
                    o.append("(onvifgw.onvif.min_occurs) = %d" % f.min_occurs)
                if f.max_occurs:
                    o.append("(onvifgw.onvif.max_occurs) = %d" % f.max_occurs)
            for k in ("any_namespace", "any_process", "choice", "qname", "list", "xsd_type", "min_value", "max_value", "min_length", "max_length",
                      "pattern"):
                if k in f.options:
                    o.append("(onvifgw.onvif.%s) = %s" % (k, fmt_option_value(f.options[k])))
            if f.default is not None and not f.repeated and f.kind != "any" and not f.oneof:
                d = default_literal(f, gen, enum_idents)
                if d is not None:
                    o.append("default = %s" % d)
            opt = (" [" + ", ".join(o) + "]") if o else ""
            line = "%s%s%s %s = %d%s;" % (indent, label, tname, f.name, number, opt)
            lines.append(line)
        if open_oneof:
            lines.append("  }")
        lines.append("}")
        lines.append("")
    text = "\n".join(lines).rstrip() + "\n"
    return prefix + ".proto", text


def default_literal(f, gen, enum_idents):
    kind, target = f.type_ref
    v = f.default
    if kind == "enum":
        e = gen.enums[target]
        if v not in e.values:
            return None
        used = set()
        for val in e.values:
            ident = enum_value_ident(e.name, val, used)
            if val == v:
                return ident
    if kind != "scalar":
        return None
    if target == "bool":
        return "true" if v in ("true", "1") else "false"
    if target in ("int32", "int64", "uint32", "uint64"):
        return str(int(v))
    if target in ("float", "double"):
        return repr(float(v))
    if target == "string":
        return fmt_option_value(v)
    return None


def default_action(tns, port_type, op_name, io_name, suffix):
    """WS-Addressing 1.0 Metadata §4.4.4: [tns]/[port type]/[input|output name]."""
    delim = ":" if tns.startswith("urn:") else "/"
    name = io_name if io_name else op_name + suffix
    base = tns[:-1] if tns.endswith("/") else tns
    return "%s%s%s%s%s" % (base, delim, port_type, delim, name)


def explicit_action(io):
    for ns in WSAM:
        a = io.get(q(ns, "Action"))
        if a:
            return a
    return None


def collect_operations(schemas, access):
    ops = []
    for prefix, wsdl, url, port_types in SERVICES:
        seen = set()
        for pt_name in port_types:
            match = [v for (tns, n), v in schemas.port_types.items() if n == pt_name]
            if len(match) != 1:
                raise SystemExit("port type %s: %d found" % (pt_name, len(match)))
            pt, tns = match[0]
            for op in pt.findall(q(WSDL, "operation")):
                inp, out = op.find(q(WSDL, "input")), op.find(q(WSDL, "output"))
                if inp is None or out is None:
                    continue  # one-way (Notify): the gateway never receives it here
                in_msg = schemas.wsdl_messages[qname(inp, inp.get("message"))]
                out_msg = schemas.wsdl_messages[qname(out, out.get("message"))]
                in_el = qname(in_msg.find(q(WSDL, "part")), in_msg.find(q(WSDL, "part")).get("element"))
                out_el = qname(out_msg.find(q(WSDL, "part")), out_msg.find(q(WSDL, "part")).get("element"))
                name = op.get("name")
                in_action = explicit_action(inp) or default_action(
                    tns, pt_name, name, inp.get("name"), "Request")
                out_action = explicit_action(out) or default_action(
                    tns, pt_name, name, out.get("name"), "Response")
                if in_el in seen:
                    # The same element bound again by a later port type: its
                    # actions answer a client that addressed that port type.
                    first = [o for o in ops if o["service"] == prefix and o["input"] == in_el][0]
                    first["aliases"].append((in_action, out_action))
                    continue
                seen.add(in_el)
                cls = access.get((prefix, name))
                if cls is None:
                    raise SystemExit("no access class for %s %s (access_classes.tsv)" % (prefix, name))
                ops.append(dict(
                    service=prefix, port_type=pt_name, name=name, input=in_el, output=out_el,
                    input_action=in_action, output_action=out_action, access=cls, aliases=[]))
    return ops


def read_access(path):
    access = {}
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            access[(cols[0], cols[2])] = cols[3]
    return access


def cpp_message(gen, el):
    key = gen.root_element(el)
    return "::onvifgw::onvif::%s::%s" % (NAMESPACES[key[0]], key[1])


def write_operations(gen, ops):
    lines = [HEADER.replace("gateway/soap/codec.cc (see proto/onvif/xml.proto)",
                            "gateway/services/ (see proto/onvif/operation_table.h)"),
             '#include "onvif/operation_table.h"', ""]
    for prefix in sorted({NAMESPACES[k[0]] for k in gen.messages if k[0]}):
        lines.append('#include "onvif/generated/%s.pb.h"' % prefix)
    lines += ["", "namespace onvifgw::onvif {", "",
              "const std::vector<ServiceSchema>& ServiceSchemas() {",
              "  static const std::vector<ServiceSchema> services = {"]
    for prefix, wsdl, url, _ in SERVICES:
        uri = [u for u, p in NAMESPACES.items() if p == prefix][0]
        lines.append('      {"%s", "%s", "%s", "%s"},' % (prefix, uri, wsdl, url))
    lines += ["  };", "  return services;", "}", "",
              "const std::vector<OperationSchema>& OperationSchemas() {",
              "  static const std::vector<OperationSchema> operations = {"]
    for op in ops:
        lines.append('      {"%s", "%s", "%s",' % (op["service"], op["port_type"], op["name"]))
        lines.append('       {"%s", "%s"}, &%s::default_instance(),' % (
            op["input"][0], op["input"][1], cpp_message(gen, op["input"])))
        lines.append('       {"%s", "%s"}, &%s::default_instance(),' % (
            op["output"][0], op["output"][1], cpp_message(gen, op["output"])))
        lines.append('       "%s",' % op["input_action"])
        lines.append('       "%s",' % op["output_action"])
        lines.append('       "%s",' % op["access"])
        lines.append('       {%s}},' % ", ".join('{"%s", "%s"}' % a for a in op["aliases"]))
    lines += ["  };", "  return operations;", "}", "", "}  // namespace onvifgw::onvif", ""]
    return "\n".join(lines)


def generate(schema_dir, access_path):
    schemas = Schemas(schema_dir)
    for _, wsdl, _, _ in SERVICES:
        schemas.load(os.path.join(schema_dir, wsdl))
    ops = collect_operations(schemas, read_access(access_path))
    gen = Generator(schemas)
    roots = []
    for op in ops:
        roots += [op["input"], op["output"]]
    gen.run(roots + EXTRA_ROOT_ELEMENTS, EXTRA_ROOT_TYPES)
    files = {}
    enum_idents = {}
    for ns in sorted({k[0] for k in list(gen.messages) + list(gen.enums) if k[0]},
                     key=lambda n: NAMESPACES[n]):
        name, text = write_proto(ns, gen, None, enum_idents)
        files[name] = text
    files["operations.cc"] = write_operations(gen, ops)
    return files, gen, ops


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--schema", default=os.path.join(HERE, "schema"))
    ap.add_argument("--access", default=os.path.join(HERE, "access_classes.tsv"))
    ap.add_argument("--out", default=os.path.join(HERE, "generated"))
    ap.add_argument("--check", action="store_true", help="fail if the output on disk is stale")
    args = ap.parse_args()
    files, gen, ops = generate(args.schema, args.access)
    stale = []
    existing = set(os.listdir(args.out)) if os.path.isdir(args.out) else set()
    for name, text in sorted(files.items()):
        path = os.path.join(args.out, name)
        old = open(path).read() if os.path.exists(path) else None
        if old != text:
            stale.append(name)
            if not args.check:
                os.makedirs(args.out, exist_ok=True)
                with open(path, "w") as f:
                    f.write(text)
    extra = sorted(existing - set(files))
    if args.check:
        if stale or extra:
            print("proto/onvif/generated is stale (run proto/onvif/generate.py): %s" %
                  ", ".join(stale + extra), file=sys.stderr)
            return 1
        return 0
    for name in extra:
        os.remove(os.path.join(args.out, name))
    per_ns = {}
    for (ns, _), _m in gen.messages.items():
        per_ns[NAMESPACES.get(ns, "-")] = per_ns.get(NAMESPACES.get(ns, "-"), 0) + 1
    print("messages per namespace: %s; enums: %d; operations: %d" % (
        ", ".join("%s %d" % kv for kv in sorted(per_ns.items())), len(gen.enums), len(ops)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
