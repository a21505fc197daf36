"""digest: a static site generator for annotated news digests.

One subpackage per stage, imports pointing only down the pipeline:

    content      site.yaml and content/ into the typed model (every bad file reported)
    ingest       raw pages into article files; the build's seed stage
    annotations  commentary notes anchored to exact words
    render       the annotated site into pages and files, in memory
    publish      output/ written atomically, the search index, link check, deploy
    build.py     the pipeline top to bottom;  preview  digest serve;  cli  argv -> command
"""

__version__ = "0.1.0"
DISTRIBUTION = "digest-ssg"  # the name on PyPI (``digest`` there is another project)
