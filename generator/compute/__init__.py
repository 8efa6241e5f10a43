"""Turn a validated `Project` into the plain data the outputs show, with no I/O.

Privacy-filtered views per audience (`views`), the aggregate profile, the year
schedule of the checklist, 发展党员 status, working days and 公示 periods, who
takes part in a scheme, the box inventories, assessment results (`scoring`,
one engine per scheme kind) and the 公示 notices. Renderers receive these,
never the models. The rules implemented here are described in docs/domain.md.
"""
