"""digest: a static site generator for annotated news digests.

The build reads as its stages, each one module, imports pointing only down:

    config  -> site.yaml into a SiteConfig
    load    -> content/ into typed Articles and Topics (every bad file reported)
    taxonomy-> tags and topics, slugs, collisions
    views   -> the Site into page specs with read-only contexts
    templates / write -> HTML into a temporary folder, swapped into output/
"""

__version__ = "0.1.0"
