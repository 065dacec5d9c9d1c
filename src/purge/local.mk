## src/purge/local.mk: sealform-purge, the retention purge (included by Makefile.am).
