"""The SPARQL behind the explorer's pages (besides the saved queries it reuses).

Every parameter (?node, ?doc, ?q, ?focus) is projected because Oxigraph substitutes only
projected variables; the explorer binds them as RDF terms, never pastes them into the text.
"""

from __future__ import annotations

NODE_CLASSES = """FILTER(?class IN (schema:Person, schema:CreativeWork, schema:Event,
                              schema:Claim, cg:SourceDocument))"""

#: Type, label, aliases, text, date and confidence of one node.
NODE = f"""SELECT DISTINCT ?node ?class ?label ?alias ?text ?date ?confidence ?file WHERE {{
  ?node a ?class . {NODE_CLASSES}
  OPTIONAL {{ ?node rdfs:label ?label }}
  OPTIONAL {{ ?node schema:alternateName ?alias }}
  OPTIONAL {{ ?node schema:text ?text }}
  OPTIONAL {{ ?node schema:datePublished|schema:startDate ?date }}
  OPTIONAL {{ ?node cg:confidence ?confidence }}
  OPTIONAL {{ ?node cg:fileName ?file }}
}}"""

# The first step from a bound parameter sits in a sub-SELECT: Oxigraph plans a query without
# knowing which variables are substituted, and would otherwise start from the other patterns
# (every passage of the store); a sub-SELECT is evaluated from the bound value.

#: Nodes linked to ?node by authorship, aboutness or quotation, both directions. Flat, not a
#: sub-SELECT: joined with a sub-SELECT, `?other a ?otherClass` was evaluated for every node
#: of the store (110 ms at 1M triples; flat, 1 ms).
LINKS = """SELECT DISTINCT ?node ?link ?dir ?other ?otherClass ?otherLabel WHERE {
  VALUES ?link { schema:author schema:about prov:wasQuotedFrom }
  { ?node ?link ?other . BIND("out" AS ?dir) } UNION { ?other ?link ?node . BIND("in" AS ?dir) }
  ?other a ?otherClass .
  FILTER(?otherClass IN (schema:Person, schema:CreativeWork, schema:Event, schema:Claim))
  OPTIONAL { ?other rdfs:label ?otherLabel }
}
ORDER BY ?link ?dir ?otherLabel"""

#: Supports, disputes and cites edges into and out of ?node, each with its evidence.
EDGES = """SELECT DISTINCT ?node ?dir ?stance ?other ?otherLabel ?quote ?start ?end ?confidence
       ?document
WHERE {
  {
    SELECT ?node ?edge ?dir ?document WHERE {
      GRAPH ?document {
        { ?edge cito:hasCitingEntity ?node . BIND("out" AS ?dir) }
        UNION { ?edge cito:hasCitedEntity ?node . BIND("in" AS ?dir) }
      }
    }
  }
  GRAPH ?document {
    ?edge cito:hasCitingEntity ?from ; cito:hasCitedEntity ?to ;
          cito:hasCitationCharacterization ?rel ;
          prov:wasDerivedFrom ?passage ;
          cg:confidence ?confidence .
    ?passage oa:hasSelector ?qs , ?ps .
    ?qs oa:exact ?quote .
    ?ps oa:start ?start ; oa:end ?end .
  }
  BIND(IF(?dir = "out", ?to, ?from) AS ?other)
  OPTIONAL { ?other rdfs:label ?otherLabel }
  BIND(STRAFTER(STR(?rel), STR(cito:)) AS ?stance)
}
ORDER BY ?dir ?stance ?document ?start"""

#: Edges a reader added (`claimgraph review add`) into and out of ?node: they live in the
#: corrections graph ?book, quoted by the reader (a cg:ReaderQuote, no document offsets).
READER_EDGES = """SELECT ?node ?book ?dir ?stance ?other ?otherLabel ?quote ?confidence WHERE {
  GRAPH ?book {
    { ?edge cito:hasCitingEntity ?node ; cito:hasCitedEntity ?other . BIND("out" AS ?dir) }
    UNION { ?edge cito:hasCitedEntity ?node ; cito:hasCitingEntity ?other . BIND("in" AS ?dir) }
    ?edge cito:hasCitationCharacterization ?rel ; prov:wasDerivedFrom ?said ;
          cg:confidence ?confidence .
    ?said a cg:ReaderQuote ; oa:hasSelector/oa:exact ?quote .
  }
  OPTIONAL { ?other rdfs:label ?otherLabel }
  BIND(STRAFTER(STR(?rel), STR(cito:)) AS ?stance)
}
ORDER BY ?dir ?stance ?other"""

#: Where ?node is stated (a claim) or mentioned (a person, work, event).
MENTIONS = """SELECT ?node ?document ?start ?end ?quote WHERE {
  {
    SELECT ?node ?document ?passage WHERE {
      GRAPH ?document { ?node schema:appearance|prov:wasDerivedFrom ?passage }
    }
  }
  GRAPH ?document {
    ?passage a cg:Passage ; oa:hasSelector ?qs , ?ps .
    ?qs oa:exact ?quote .
    ?ps oa:start ?start ; oa:end ?end .
  }
}
ORDER BY ?document ?start"""

#: Every passage of one document with its quote and the context kept beside it.
PASSAGES = """SELECT ?doc ?start ?end ?exact ?prefix ?suffix WHERE {
  GRAPH ?doc {
    ?passage a cg:Passage ; oa:hasSelector ?qs , ?ps .
    ?qs oa:exact ?exact .
    ?ps oa:start ?start ; oa:end ?end .
    OPTIONAL { ?qs oa:prefix ?prefix }
    OPTIONAL { ?qs oa:suffix ?suffix }
  }
}
ORDER BY ?start ?end"""

#: What each passage of one document is: a claim's statement, a mention, an edge's evidence.
SPANS = """SELECT ?doc ?start ?end ?node ?class ?label ?stance ?cited ?citedLabel WHERE {
  GRAPH ?doc {
    ?passage a cg:Passage ; oa:hasSelector ?ps .
    ?ps oa:start ?start ; oa:end ?end .
    ?node schema:appearance|prov:wasDerivedFrom ?passage .
    ?node a ?class .
    FILTER(?class IN (schema:Person, schema:CreativeWork, schema:Event, schema:Claim,
                      cito:Citation))
    OPTIONAL { ?node rdfs:label ?label }
    OPTIONAL {
      ?node cito:hasCitationCharacterization ?rel ; cito:hasCitedEntity ?cited .
      OPTIONAL { ?cited rdfs:label ?citedLabel }
    }
  }
  BIND(STRAFTER(STR(?rel), STR(cito:)) AS ?stance)
}
ORDER BY ?start ?end"""

#: Document facts: file name, size, sha256, label.
DOCUMENT = """SELECT ?doc ?label ?file ?characters ?passages ?sha256 WHERE {
  GRAPH ?doc {
    ?doc a cg:SourceDocument .
    OPTIONAL { ?doc rdfs:label ?label }
    OPTIONAL { ?doc cg:fileName ?file }
    OPTIONAL { ?doc cg:characterCount ?characters }
    OPTIONAL { ?doc cg:passageCount ?passages }
    OPTIONAL { ?doc cg:sha256 ?sha256 }
  }
}"""

#: The file name of every document (to name documents in lists).
DOCUMENT_NAMES = """SELECT DISTINCT ?doc ?file WHERE { ?doc cg:fileName ?file }"""

#: Nodes whose label or alias contains ?q (any case). The names are made distinct before the
#: filter (the union graph repeats a label once per document that states it). The filter is
#: in its own group with the names, so that it runs before the joins whether ?q is bound as a
#: term (the page) or by a VALUES block in that group (the page's /query link); a VALUES
#: block outside it would not reach it.
SEARCH = f"""SELECT ?q ?node ?class (SAMPLE(?l) AS ?label) (SAMPLE(?name) AS ?matched) WHERE {{
  {{
    {{
      SELECT DISTINCT ?node ?name WHERE {{
        {{ ?node rdfs:label ?name }} UNION {{ ?node schema:alternateName ?name }}
      }}
    }}
    FILTER(CONTAINS(LCASE(STR(?name)), LCASE(STR(?q))))
  }}
  ?node a ?class . {NODE_CLASSES}
  OPTIONAL {{ ?node rdfs:label ?l }}
}}
GROUP BY ?q ?node ?class
LIMIT 500"""

_RELS = "VALUES ?r { cito:supports cito:disputes cito:cites schema:author schema:about }"
# The focus's direct neighbours. Every edge touching the focus also touches a neighbour, so
# the edges touching the neighbours are the whole two-hop view. (A parameter is never used in
# a BIND: Oxigraph leaves a substituted variable unbound there.)
_NEAR = f"""{{ {_RELS.replace("?r ", "?r1 ")} ?focus ?r1 ?m }}
  UNION {{ {_RELS.replace("?r ", "?r1 ")} ?m ?r1 ?focus }}"""

#: Edges within two hops of ?focus (every edge touching a direct neighbour of it, at
#: most 600), with the labels of both ends; their kinds come from their keys.
NEIGHBOURHOOD = f"""SELECT DISTINCT ?focus ?a ?rel ?b ?aLabel ?bLabel WHERE {{
  {{
    SELECT DISTINCT ?focus ?a ?rel ?b WHERE {{
      {{ SELECT DISTINCT ?focus ?m WHERE {{ {_NEAR} }} }}
      {{ {_RELS.replace("?r ", "?rel ")} ?m ?rel ?b . BIND(?m AS ?a) }}
      UNION {{ {_RELS.replace("?r ", "?rel ")} ?a ?rel ?m . BIND(?m AS ?b) }}
    }}
    LIMIT 600
  }}
  OPTIONAL {{ ?a rdfs:label ?aLabel }}
  OPTIONAL {{ ?b rdfs:label ?bLabel }}
}}"""
