// tools/cli/audit_report.mjs: the audit's report for people: text for the terminal and the
// contact sheet (the core draws it: wasm/bindings/bind_audit.cpp, core/audit/contact_sheet.h). audit.mjs makes
// the report object both read.
import fs from 'node:fs';
import path from 'node:path';
import { unwrap } from './core.mjs';
import { FONT_FILE } from './explain.mjs';
import { readPhoto } from './photos.mjs';

const MAX_SHEET_PAIRS = 12;

const rel = (file) => path.relative('.', file) || '.';
// A root as the sheet names it: its last two folders (santa/train).
const short = (root) => path.resolve(root).split(path.sep).slice(-2).join('/');
const pct = (x) => `${(100 * x).toFixed(1)}%`;

function printDuplicates(d) {
  console.log(
    `Near-duplicates: ${d.pairs.length} pair${d.pairs.length === 1 ? '' : 's'} (${d.within_root} within a folder, ` +
      `${d.across_roots} across folders); ${d.leaks} train/test leak${d.leaks === 1 ? '' : 's'}, ${d.conflicts} with two labels`,
  );
  for (const p of d.pairs) {
    const flags = [p.leak && 'LEAK', p.conflict && `LABELS ${p.class_a}/${p.class_b}`].filter(Boolean).join(' ');
    const cos = p.cosine === null ? '' : `, cosine ${p.cosine.toFixed(3)}`;
    console.log(`  ${flags ? `${flags}: ` : ''}${rel(p.a)} = ${rel(p.b)} (hash bits ${p.dhash}/${p.phash}${cos})`);
  }
}

function printShortcuts(s) {
  const verdict = s.carries ? 'SHORTCUT: ' : '';
  console.log(
    `Shortcuts: ${verdict}cues that say nothing about the content tell the classes apart at ${pct(s.accuracy)} ` +
      `(${s.folds}-fold cross-validated; chance ${pct(s.chance)}, always "${s.majority}")`,
  );
  console.log(
    `  by group: ${s.groups.map((g) => `${g.name} cues ${pct(g.accuracy)}${g.carries ? ' (shortcut)' : ''}`).join(', ')}` +
      ' (colour and background also reflect what the photos show: weaker evidence than file cues)',
  );
  const nameWidth = Math.max(16, ...s.cues.map((c) => c.name.length));
  console.log(`  ${'cue'.padEnd(nameWidth)}  alone   importance`);
  for (const c of [...s.cues].sort((x, y) => y.accuracy - x.accuracy)) {
    console.log(
      `  ${c.name.padEnd(nameWidth)} ${pct(c.accuracy).padStart(6)}   ${c.importance.toFixed(3)}${c.carries ? '   carries a shortcut' : ''}`,
    );
  }
  for (const [name, p] of Object.entries(s.profile)) {
    const sizes = p.sizes.map(([s, n]) => `${s} ${n}`).join(', ');
    const formats = Object.entries(p.formats)
      .map(([f, n]) => `${f} ${n}`)
      .join(', ');
    const quality = p.jpeg_quality.length ? `; JPEG quality ${p.jpeg_quality.map(([q, n]) => `${q}: ${n}`).join(', ')}` : '';
    console.log(`  ${name}: ${p.photos} photos; most common sizes ${sizes}; ${formats}${quality}; EXIF ${p.exif}`);
  }
}

function printSuspects(s, classes) {
  console.log(
    `Suspects (5-fold cross-validated linear head on ResNet50 features: ${pct(s.head.accuracy)} right, ${s.head.wrong} wrong):`,
  );
  for (const name of classes) {
    const c = s.classes[name];
    console.log(`  ${name}, most wrong by the head:`);
    for (const r of c.most_wrong)
      console.log(`    P(${name}) ${r.p_own.toFixed(3)}  z ${r.outlier_z.toFixed(2).padStart(5)}  ${rel(r.file)}`);
    console.log(`  ${name}, farthest from the ${name} centre (z: standard deviations past the class mean):`);
    for (const r of c.farthest) {
      const closer = r.other_similarity > r.own_similarity ? `  closer to ${r.other_class}` : '';
      console.log(`    z ${r.outlier_z.toFixed(2).padStart(5)}  P(${name}) ${r.p_own.toFixed(3)}  ${rel(r.file)}${closer}`);
    }
  }
}

// The report as text on stdout.
export function printAudit(r) {
  const counts = (classes) =>
    Object.entries(classes)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
  console.log(
    `Audit of ${r.photos} photos in ${r.roots.length} folder${r.roots.length > 1 ? 's' : ''} ` +
      `(classes: ${r.classes.join(', ')}); ${r.unreadable.length} unreadable`,
  );
  const width = Math.max(...r.roots.map((x) => rel(x.root).length));
  for (const x of r.roots)
    console.log(
      `  ${rel(x.root).padEnd(width)}  ${(x.role ?? '-').padEnd(5)}  ${String(x.photos).padStart(5)}  ${counts(x.classes)}`,
    );
  printDuplicates(r.duplicates);
  if (r.shortcuts) printShortcuts(r.shortcuts);
  else console.log('Shortcuts: not checked (photos of at least two classes are needed)');
  if (r.suspects) printSuspects(r.suspects, r.classes);
  else
    console.log(
      `Suspects: not checked (${r.features.used ? 'two classes of at least two photos each are needed' : 'no ResNet50 features'})`,
    );
  if (r.unreadable.length) console.log('Unreadable:');
  for (const u of r.unreadable) console.log(`  ${rel(u.file)}: ${u.error}`);
  if (r.sheet) console.log(`Sheet: ${r.sheet}`);
  const s = r.seconds;
  const f = r.features.used ? ` (${r.features.computed} computed, ${r.features.cached} cached)` : '';
  console.log(
    `Time: ${s.total} s (cues ${s.cues}, features ${s.features}${f}, duplicates ${s.duplicates}, ` +
      `shortcuts ${s.shortcuts}, suspects ${s.suspects}${s.sheet !== undefined ? `, sheet ${s.sheet}` : ''})`,
  );
}

const tile = (file, lines) => ({ bytes: readPhoto(file).bytes, lines: [path.basename(file), ...lines] });

// The contact sheet: per class the suspects, then the near-duplicate pairs side by side.
export function writeSheet(core, r, file, log) {
  const sections = [];
  const several = r.roots.length > 1;
  if (r.suspects) {
    for (const name of r.classes) {
      const c = r.suspects.classes[name];
      const where = (x) =>
        [x.other_similarity > x.own_similarity && `closer to ${x.other_class}`, several && short(x.root)]
          .filter(Boolean)
          .join(' · ');
      sections.push({
        title: `${name}: the cross-validated head gets these most wrong`,
        tiles: c.most_wrong.map((x) =>
          tile(x.file, [`P(${name}) ${x.p_own.toFixed(3)} · z ${x.outlier_z.toFixed(1)}`, where(x)]),
        ),
      });
      sections.push({
        title: `${name}: farthest from the ${name} centre in feature space`,
        tiles: c.farthest.map((x) => tile(x.file, [`z ${x.outlier_z.toFixed(1)} · P(${name}) ${x.p_own.toFixed(3)}`, where(x)])),
      });
    }
  }
  const pairs = r.duplicates.pairs.slice(0, MAX_SHEET_PAIRS);
  if (pairs.length) {
    const more = r.duplicates.pairs.length - pairs.length;
    sections.push({
      title: `near-duplicates, pair by pair${more > 0 ? ` (the first ${pairs.length}; ${more} more in the text report)` : ''}`,
      tiles: pairs.flatMap((p, k) => {
        const cos = p.cosine === null ? '' : ` · cos ${p.cosine.toFixed(3)}`;
        const flags = `${p.leak ? 'LEAK · ' : ''}${p.conflict ? `labelled ${p.class_b} · ` : ''}`;
        return [
          tile(p.a, [`pair ${k + 1} · ${p.class_a}`, short(p.root_a)]),
          tile(p.b, [`bits ${p.dhash}/${p.phash}${cos}`, `${flags}${short(p.root_b)}`]),
        ];
      }),
    });
  }
  let font = null;
  if (fs.existsSync(FONT_FILE)) font = new Uint8Array(fs.readFileSync(FONT_FILE));
  else log(`audit: ${FONT_FILE} is missing (Debian's fonts-inter): the sheet has no text`);
  const title = `santa-lens audit: ${r.roots.map((x) => short(x.root)).join(', ')} (${r.photos} photos)`;
  const sheet = unwrap(core.contactSheet(sections, font, { title, thumb: 170, columns: 6, fontPx: 15 }), 'contact sheet');
  fs.writeFileSync(file, sheet.png);
}
