# Post hoc figures: judged run minus removed rows plus added rows (posthoc/added_verdicts.tsv).
import csv, os
from collections import Counter
P=os.path.dirname(os.path.abspath(__file__)); R=os.path.join(P,'..')
rd=lambda f: list(csv.DictReader(open(os.path.join(R,f) if not f.startswith('posthoc/') else os.path.join(P,f[8:])),delimiter='\t'))
oev={(e['story'],e['n']):e['type'] for e in rd('kg_events.tsv')}
nev={(e['story'],e['n']):e['type'] for e in rd('posthoc/kg_events.tsv')}
oldv=[dict(x,type=oev[(x['story'],x['n'])]) for x in rd('verdicts.tsv')]
ch=rd('posthoc/changed.tsv')
rem={(r['story'],r['n']) for r in ch if r['change']=='removed'}
addv=[dict(x,type=nev[(x['story'],x['n'])]) for x in rd('posthoc/added_verdicts.tsv')]
newv=[x for x in oldv if (x['story'],x['n']) not in rem]+addv
assert len(newv)==len(nev)
def prec(rows):
    c=Counter(x['verdict'] for x in rows); nd=len(rows)-c['dup']; p=c['correct']+c['half']/2
    return f"{p:g} / {nd} = {100*p/nd:.1f} %", f"correct {c['correct']}, half {c['half']}, wrong {c['wrong']}, dup {c['dup']} ({len(rows)} rows); correct only {100*c['correct']/nd:.1f} %"
sel={'all':lambda t:True,'Statement':lambda t:t=='Statement','typed events':lambda t:t not in('Statement','Action'),
     'other (typed+Action)':lambda t:t!='Statement','open (Action)':lambda t:t=='Action'}
for name,f in sel.items():
    for lab,rows in (('before',oldv),('after',newv)):
        print(f"{name:22s} {lab:6s}", *prec([x for x in rows if f(x['type'])]))
print('removed:', Counter((x['type']=='Statement' and 'Statement' or x['type']=='Action' and 'Action' or 'typed', x['verdict']) for x in oldv if (x['story'],x['n']) in rem))
print('added:  ', Counter((x['type']=='Statement' and 'Statement' or x['type']=='Action' and 'Action' or 'typed', x['verdict']) for x in addv))
# key facts
kc=rd('raw/kf_calls.tsv'); chg={(r['id'],r['fact']):r for r in rd('posthoc/keyfacts_changed.tsv')}
def rec(vs):
    c=Counter(vs); r=c['found']+c['partly']/2
    return f"{r:g} / {len(vs)} = {100*r/len(vs):.1f} %  found {c['found']}, partly {c['partly']}, missed {c['missed']}"
old1=[k['verdict'] for k in kc]; old2=[k['verdict_without_statements'] for k in kc]
new1=[chg.get((k['id'],k['fact']),{}).get('new_verdict',k['verdict']) for k in kc]
new2=[chg.get((k['id'],k['fact']),{}).get('new_without_statements',k['verdict_without_statements']) for k in kc]
print('recall before', rec(old1)); print('recall after ', rec(new1))
print('recall w/o stmt before', rec(old2)); print('recall w/o stmt after ', rec(new2))
only=[(a,b) for a,b in zip(new1,new2) if a!='missed' and b=='missed']
print('after: credited only through Statements', len(only), Counter(a for a,b in only))
print('changed facts', Counter((r['old_verdict'],r['new_verdict']) for r in chg.values()))
