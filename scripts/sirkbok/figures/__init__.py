"""The chapters' figures: one module per chapter, each function building and publishing one chart.

The notebooks compute (with `sirkbok.themes`) and call these; the house style and the export live in
`sirkbok.charts`. Every chart reads at 375 px: vertical lists instead of wide grids, legends at the
bottom, labels that fit.
"""
