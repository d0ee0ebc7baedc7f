"""Translation quality on the user's own references (`ngo-pipeline eval`), and choosing models by it.

- refs.py     reading references: TMX, two aligned text files, JSON lines, TSV; sampling; holding
              apart the pairs kept for calibration (`pipeline.memory.holdout`)
- systems.py  what is evaluated: a config's translate stage (memory bypassed), other models, pivots
- metrics.py  chrF++ and BLEU (sacrebleu, with its signature); COMET only when installed and local
- run.py      translate, score, QA flag rate, speed, per direction
- choose.py   the best system per direction within a speed budget, and the config that uses it
- report.py   the terminal table and the JSON object
- speed.py    measured model speeds (`scripts/bench.py --save`) and published quality figures
"""
