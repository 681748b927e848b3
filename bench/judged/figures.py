"""The figures of a judged round, counted from its files: python bench/judged/figures.py bench/judged/round10"""
import csv
import os
import sys
from collections import Counter, defaultdict
R = os.path.join(sys.argv[1], "")
ev={(e['story'],e['n']):e for e in csv.DictReader(open(R+'kg_events.tsv'),delimiter='\t')}
v=list(csv.DictReader(open(R+'verdicts.tsv'),delimiter='\t'))
def prec(rows):
    c=Counter(x['verdict'] for x in rows); nd=len(rows)-c['dup']
    p=(c['correct']+c['half']/2)
    return f"{p:g} / {nd} = {100*p/nd:.1f} %" if nd else '-', f"correct {c['correct']}, half {c['half']}, wrong {c['wrong']}, dup {c['dup']} ({len(rows)} rows); correct only {100*c['correct']/nd:.1f} %"
T=lambda x: ev[(x['story'],x['n'])]['type']
print('all', *prec(v))
print('stmt', *prec([x for x in v if T(x)=='Statement']))
print('other (typed+Action)', *prec([x for x in v if T(x)!='Statement']))
print('typed', *prec([x for x in v if T(x) not in ('Statement','Action')]))
print('open', *prec([x for x in v if T(x)=='Action']))
o=list(csv.DictReader(open(R+'open_verdicts.tsv'),delimiter='\t')); print('open file', *prec(o))
L=list(csv.DictReader(open(R+'link_verdicts.tsv'),delimiter='\t'))
cl=Counter(x['verdict'] for x in L); print('links', cl, f"{cl['correct']}/{len(L)}")
k=list(csv.DictReader(open(R+'raw/kf_calls.tsv'),delimiter='\t'))
def rec(col):
    c=Counter(x[col] for x in k); r=c['found']+c['partly']/2
    return f"{r:g} / {len(k)} = {100*r/len(k):.1f} %  found {c['found']}, partly {c['partly']}, missed {c['missed']}; found only {100*c['found']/len(k):.1f} %"
print('recall', rec('verdict')); print('recall no stmt', rec('verdict_without_statements'))
print('via stmt', Counter(x['verdict'] for x in k if x['only_through_statement']=='yes'))
cls=list(csv.DictReader(open(R+'raw/classes.tsv'),delimiter='\t'))
g=defaultdict(lambda:[0,0,0.0])
for x in cls:
    G=x['class'].split(':')[0]; g[G][0 if x['verdict']=='wrong' else 1]+=1; g[G][2]+=float(x['points_lost'])
for G,(wr,h,p) in sorted(g.items(),key=lambda t:-t[1][2]): print(f"{G}: {wr+h} rows ({wr} wrong, {h} half), {p:g} points")
print('total points', sum(float(x['points_lost']) for x in cls), len(cls))
# by type
bt=defaultdict(Counter)
for x in v: bt[T(x)][x['verdict']]+=1
for t,c in sorted(bt.items(),key=lambda t:-sum(t[1].values())): print(t,dict(c))
# stories
ps=defaultdict(float)
for x in cls: ps[x['story']]+=float(x['points_lost'])
print(sorted(ps.items(),key=lambda t:-t[1])[:6])
print("rows",len(v), "statements", Counter(T(x) for x in v)["Statement"], "action", Counter(T(x) for x in v)["Action"])
# per-story recall
ks=defaultdict(list)
for x in k: ks[x['id']].append(x['verdict'])
pr={s:(l.count('found')+l.count('partly')/2)/len(l) for s,l in ks.items()}
print('lowest recall', sorted(pr.items(),key=lambda t:t[1])[:8]); print('highest', sorted(pr.items(),key=lambda t:-t[1])[:6])
# headline rows
print('headline rows', Counter(x['verdict'] for x in v if ev[(x['story'],x['n'])]['in_title']=='True'))
# fine classes
fc=defaultdict(lambda:[0,0.0])
for x in cls: fc[x['class']][0]+=1; fc[x['class']][1]+=float(x['points_lost'])
for c,(nr,p) in sorted(fc.items(),key=lambda t:-t[1][1]): print(f"  {p:g}\t{nr}\t{c}")
