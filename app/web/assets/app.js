// kb web app: one page, no framework, no CDN. Every piece of record text is put on the
// page as text (textContent); the only HTML inserted is what the server rendered with
// cmark in safe mode.
'use strict';

const MARK_OPEN = '\u27e6', MARK_CLOSE = '\u27e7';

const STRINGS = {
  zh: {
    search: '搜索', file: '新建记录', placeholder: '搜索案例、经验、情报、改进…(中文或英文)',
    results: n => `${n} 条结果`, about: '约 ', estimatedCounts: '数量为抽样估计', relaxed: (a, b) => `${a} 条包含全部词语，另有 ${b} 条包含部分词语`,
    none: '没有找到匹配的记录。', prev: '上一页', next: '下一页', sort: '排序',
    relevance: '相关度', newest: '最新', oldest: '最早', filters: '筛选', clear: '清除',
    recent: '最近的记录', tips: '试试:',
    fields: '字段', links: '引用的记录', backlinks: '被引用', similar: '相似记录', edit: '编辑',
    history: '历史版本', restoreVersion: '恢复此版本', restored: m => `已恢复: ${m}`, firstVersion: '第一个版本', current: '当前版本', bodyLines: (a, r) => `正文 +${a} −${r} 行`,
    findings: '检查发现', save: '保存', saving: '正在保存…', cancel: '取消', title: '标题', date: '日期',
    body: '正文 (Markdown)', chooseType: '选择要新建的记录类型', required: '必填',
    saved: p => `已保存: ${p}`, fixFields: '请修改标注的字段。', notFound: '页面不存在。',
    conflict: '这条记录在你打开之后被别人修改过。下面列出双方的改动,你输入的内容都还在:选择保留哪一方,再保存。', reload: '放弃我的修改并重新加载',
    yours: '我的', theirs: '对方的', merged: '合并', base: '打开时', keepMine: '保留我的', takeTheirs: '采用对方的',
    onlyTheirs: '只有对方修改(保留对方的)', onlyMine: '只有我修改(保留我的)', saveChoices: '按以上选择保存',
    mergeHint: '合并结果可直接编辑;<<<<<<< 与 >>>>>>> 之间是双方都改了的地方。', bodyDiff: '正文的改动',
    owner: '负责人', all: '全部', overdue: '已逾期', due: '截止', move: '移动到', note: '备注(可选)',
    moved: m => `已更新: ${m}`, noCards: '(无)', choose: '请选择', show: '查看',
    token: '令牌', tokenPrompt: '输入服务器令牌(写入和受限记录需要)', tokenSet: '已设置令牌',
    readOnly: '只读: 写入需要令牌', restrictedHidden: '受限记录需要令牌', loading: '加载中…',
    journeyHint: '点击任意数字查看对应记录', error: '出错了', path: '文件', type: '类型',
    addValue: '多个值用逗号分隔', language: 'English', stale: '已过期',
    signIn: '登录', signOut: '退出', userName: '用户名', password: '密码', badSignIn: '用户名或密码不正确。',
    tooManySignIns: '登录失败次数过多,请稍后再试。', signedIn: n => `已登录: ${n}`, signedOut: '已退出登录',
    signInToRead: '请先登录才能查看这个知识库。', syncProblem: '与共享仓库同步未完成(本地内容都还在):', boardField: '在看板上移动卡片来修改',
    accounts: '账户', changePassword: '修改密码', currentPassword: '当前密码', newPassword: '新密码', passwordAgain: '再输入一次新密码',
    passwordsDiffer: '两次输入的新密码不一致。', passwordChanged: '密码已修改', groups: '组', rightsCol: '权限', created: '创建于', sessionsCol: '在线',
    addAccount: '添加账户', add: '添加', saveGroups: '保存组', resetPassword: '重设密码', remove: '删除', removeAsk: n => `删除账户 ${n}?其会话随即结束。`,
    accountAdded: n => `已添加账户: ${n}`, accountRemoved: n => `已删除账户: ${n}`, groupsSaved: n => `已保存 ${n} 的组`, passwordReset: n => `已重设 ${n} 的密码,其会话已结束`,
    groupsHint: '多个组用逗号分隔', noGroups: '(无)', you: '(你)',
    rightNames: {'read-public': '读公开记录', 'read-internal': '读内部记录', 'read-restricted': '读受限记录', file: '新建', edit: '编辑与恢复', move: '在看板上移动', users: '管理账户'},
    cannotMove: (a, b, ok) => `不能从“${a}”直接移到“${b}”。可以移到: ${ok}`, moveRefused: b => `未能移到“${b}”:`, listSep: '、',
    calendar: '订阅截止日期 (iCalendar)', calendarHint: '在 Outlook、Thunderbird 或手机日历中订阅;日历程序需要个人令牌: 在地址后加 &token=…(kb token add 姓名)',
    feed: '订阅新记录 (Atom)',
    notAllowed: '你没有在这里写入的权限。', firstAccount: '第一个账户应当是你自己的,并放在有 users 权限的组里:一旦有了账户,所有人(包括本机)都要登录。', noAccounts: '还没有账户。',
    synonymsUsed: '同时搜索了同义词:', skip: '跳到主要内容', more: n => `更多 (${n})`, fewer: '收起', facetsLabel: '筛选条件',
    pickParam: '请在上方选择,页面随即生成。', partialBelow: '以下记录只包含部分词语', didYouMean: '你是不是要找:', seenBefore: '以前有过类似的吗?这些已有记录与你正在填写的相近:', closedAsk: '已完成——当时有效吗?',
  },
  en: {
    search: 'Search', file: 'New record', placeholder: 'Search cases, lessons, intel, improvements… (Chinese or English)',
    results: (n, count) => `${n} result${count === 1 ? '' : 's'}`, about: 'about ', estimatedCounts: 'counts estimated from a sample', relaxed: (a, b) => `${a} matching every word, ${b} more matching some`,
    none: 'No records match.', prev: 'Previous', next: 'Next', sort: 'Sort',
    relevance: 'Relevance', newest: 'Newest', oldest: 'Oldest', filters: 'Filters', clear: 'Clear',
    recent: 'Recent records', tips: 'Try:',
    fields: 'Fields', links: 'Links', backlinks: 'Linked from', similar: 'Similar records', edit: 'Edit',
    history: 'History', restoreVersion: 'Restore this version', restored: m => `Restored: ${m}`, firstVersion: 'first version', current: 'current', bodyLines: (a, r) => `body +${a} −${r} lines`,
    findings: 'Findings', save: 'Save', saving: 'Saving…', cancel: 'Cancel', title: 'Title', date: 'Date',
    body: 'Body (Markdown)', chooseType: 'Choose the type of record to file', required: 'required',
    saved: p => `Saved: ${p}`, fixFields: 'Please fix the marked fields.', notFound: 'Page not found.',
    conflict: 'Someone else changed this record after you opened it. Both sides\' changes are below and nothing you typed is lost: choose which to keep, then save.', reload: 'Discard mine and reload',
    yours: 'Mine', theirs: 'Theirs', merged: 'Merged', base: 'When opened', keepMine: 'Keep mine', takeTheirs: 'Take theirs',
    onlyTheirs: 'changed only by them (theirs kept)', onlyMine: 'changed only by me (mine kept)', saveChoices: 'Save with these choices',
    mergeHint: 'The merge can be edited; between <<<<<<< and >>>>>>> both sides changed the same lines.', bodyDiff: 'Changes to the body',
    owner: 'Owner', all: 'All', overdue: 'overdue', due: 'due', move: 'Move to', note: 'Note (optional)',
    moved: m => `Updated: ${m}`, noCards: '(none)', choose: 'Choose', show: 'Show',
    token: 'Token', tokenPrompt: 'Server token (needed to write and to read restricted records)', tokenSet: 'Token set',
    readOnly: 'Read-only: writing needs a token', restrictedHidden: 'Restricted records need a token', loading: 'Loading…',
    journeyHint: 'Click a number to see the records behind it', error: 'Error', path: 'File', type: 'Type',
    addValue: 'separate several values with commas', language: '中文', stale: 'stale',
    signIn: 'Sign in', signOut: 'Sign out', userName: 'User name', password: 'Password', badSignIn: 'The name or the password is wrong.',
    tooManySignIns: 'Too many failed sign-ins; try again later.', signedIn: n => `Signed in as ${n}`, signedOut: 'Signed out',
    signInToRead: 'Please sign in to read this knowledge base.', syncProblem: 'Not in step with the shared repository (nothing here was lost):', boardField: 'changed by moving the card on the board',
    accounts: 'Accounts', changePassword: 'Change password', currentPassword: 'Current password', newPassword: 'New password', passwordAgain: 'New password again',
    passwordsDiffer: 'The two new passwords differ.', passwordChanged: 'Password changed', groups: 'Groups', rightsCol: 'Rights', created: 'Created', sessionsCol: 'Signed in',
    addAccount: 'Add an account', add: 'Add', saveGroups: 'Save groups', resetPassword: 'Reset password', remove: 'Remove', removeAsk: n => `Remove the account ${n}? Its sessions end at once.`,
    accountAdded: n => `Account added: ${n}`, accountRemoved: n => `Account removed: ${n}`, groupsSaved: n => `Groups of ${n} saved`, passwordReset: n => `Password of ${n} reset; their sessions ended`,
    groupsHint: 'separate several groups with commas', noGroups: '(none)', you: '(you)',
    rightNames: {'read-public': 'read public records', 'read-internal': 'read internal records', 'read-restricted': 'read restricted records', file: 'file', edit: 'edit and restore', move: 'move on boards', users: 'manage accounts'},
    cannotMove: (a, b, ok) => `A card cannot go from “${a}” to “${b}” directly. It can go to: ${ok}`, moveRefused: b => `Not moved to “${b}”:`, listSep: ', ',
    calendar: 'Subscribe to due dates (iCalendar)', calendarHint: 'Subscribe in Outlook, Thunderbird or a phone calendar; calendar programs need a personal token: add &token=… to the address (kb token add NAME)',
    feed: 'Subscribe to new records (Atom)',
    notAllowed: 'You may not write here.', firstAccount: 'Make the first account your own, in a group with the users right: once an account exists, everyone (this machine too) must sign in.', noAccounts: 'No accounts yet.',
    synonymsUsed: 'Also searched as synonyms:', skip: 'Skip to the main content', more: n => `${n} more`, fewer: 'Fewer', facetsLabel: 'Filters',
    pickParam: 'Choose above; the page is drawn at once.', partialBelow: 'Below: records with only some of the words', didYouMean: 'Did you mean:', seenBefore: 'Has this happened before? Existing records close to what you are writing:', closedAsk: 'done: was it effective?',
  },
};

const state = {
  lang: localStorage.getItem('kb.lang') || 'zh',
  token: sessionStorage.getItem('kb.token') || '',
  schema: null,
  info: null,
};

function t(key, ...args) {
  const v = STRINGS[state.lang][key];
  return typeof v === 'function' ? v(...args) : v;
}

// Whether the reader holds a right (kb.yaml, serve: groups): file, edit, move, users.
function can(right) {
  return !!state.info && (state.info.rights || []).includes(right);
}

// The reader's locale for dates: the page's language, in the browser's own variant of it
// when it has one (en-US, en-GB), so 2026-03-05 reads 2026年3月5日 or Mar 5, 2026.
function dateLocale() {
  const own = (navigator.languages || []).find(l => l.toLowerCase().startsWith(state.lang));
  return own || (state.lang === 'zh' ? 'zh-CN' : 'en');
}

// A stored date (YYYY-MM-DD) in the reader's locale; anything else as it is written
// (2010-3, "about May"), since the record says it so.
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
function dateText(s) {
  const m = ISO_DAY.exec(s || '');
  if (!m) return s || '';
  const day = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (day.getUTCMonth() !== +m[2] - 1 || day.getUTCDate() !== +m[3]) return s;
  return new Intl.DateTimeFormat(dateLocale(), {year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC'}).format(day);
}

// A date as a <time> element: the reader's form shown, the stored one kept for machines.
function dateEl(s) {
  return ISO_DAY.test(s || '') ? h('time', {datetime: s}, dateText(s)) : (s || '');
}

// Dates in text a plugin wrote (a brief, a battlecard) in the reader's locale, outside
// code, links' addresses and preformatted text.
function localizeDates(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) if (/\d{4}-\d{2}-\d{2}/.test(walker.currentNode.data)) nodes.push(walker.currentNode);
  for (const node of nodes) {
    if (node.parentElement.closest('code, pre, time')) continue;
    const parts = node.data.split(/(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])/);
    if (parts.length < 2) continue;
    node.replaceWith(...parts.map((p, i) => i % 2 ? dateEl(p) : p));
  }
}

function L(label, fallback) {
  if (!label) return fallback || '';
  return label[state.lang] || label.zh || label.en || fallback || '';
}

// h('a', {href: '/x', class: 'c'}, 'text', child...): builds elements; strings become text.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// replaceChildren without the null/false holes that conditional parts leave.
function put(el, ...children) {
  el.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
  return el;
}

function link(href, ...children) {
  return h('a', {href, 'data-nav': true}, ...children);
}

// A snippet with ⟦…⟧ markers as text with <mark> elements.
function highlighted(text) {
  const out = [];
  let rest = text || '';
  while (rest.length) {
    const open = rest.indexOf(MARK_OPEN);
    if (open < 0) { out.push(rest); break; }
    const close = rest.indexOf(MARK_CLOSE, open);
    if (close < 0) { out.push(rest.replaceAll(MARK_OPEN, '')); break; }
    out.push(rest.slice(0, open), h('mark', {}, rest.slice(open + 1, close)));
    rest = rest.slice(close + 1);
  }
  return out;
}

async function api(path, options = {}) {
  const headers = {Accept: 'application/json'};
  if (state.token) headers.Authorization = 'Bearer ' + state.token;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['X-KB-Request'] = '1';
  }
  const res = await fetch(path, {
    method: options.method || 'GET', headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  let data = {};
  try { data = await res.json(); } catch (e) { data = {error: res.statusText}; }
  return {ok: res.ok, status: res.status, data};
}

// A server error in the reader's language: the server sends the Chinese beside the
// English where it knows it (error_zh, fields_zh).
function errText(data) {
  return (state.lang === 'zh' && data.error_zh) || data.error || '';
}

function fieldErrors(data) {
  return state.lang === 'zh' ? Object.assign({}, data.fields || {}, data.fields_zh || {}) : data.fields;
}

function notice(text, kind) {
  const n = document.getElementById('notice');
  n.textContent = text;
  n.className = kind || 'ok';
  n.hidden = !text;
  if (text) setTimeout(() => { if (n.textContent === text) n.hidden = true; }, 6000);
}

function navigate(url, replace) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.scrollTo(0, 0); // a new page opens at its top (after a save, too)
  route();
}

// Whether a hit's work is done: a field of its type declares "Closed" values.
function isClosed(hit) {
  const ty = state.schema && state.schema.types.find(x => x.type === hit.type);
  return !!ty && ty.fields.some(f => f.closed && f.closed.includes((hit.fields || {})[f.name]));
}

function typeLabel(type) {
  const ty = state.schema && state.schema.types.find(x => x.type === type);
  return ty ? L(ty.label, type) : type;
}

function termLabel(vocab, id) {
  const terms = state.schema && state.schema.vocabularies[vocab];
  const term = terms && terms.find(x => x.id === id);
  return term ? (state.lang === 'en' ? term.en || term.zh : term.zh || term.en) : id;
}

// ---------------------------------------------------------------- search

let searchAbort = null;

function queryHasFilter(q, filter) {
  return (' ' + q + ' ').includes(' ' + filter + ' ');
}

function renderSearchPage(app) {
  const params = new URLSearchParams(location.search);
  const q = params.get('q') || '';
  const box = h('input', {type: 'search', id: 'q', name: 'q', value: q, placeholder: t('placeholder'),
    autocomplete: 'off', 'aria-label': t('search')});
  const sort = h('select', {id: 'sort', 'aria-label': t('sort')},
    h('option', {value: 'relevance'}, t('relevance')),
    h('option', {value: 'date'}, t('newest')),
    h('option', {value: 'oldest'}, t('oldest')),
    ...(state.schema ? state.schema.sorts : []).flatMap(s => [
      h('option', {value: s.name, dataset: {field: s.name}}, L(s.label, s.name) + ' ↑'),
      h('option', {value: '-' + s.name, dataset: {field: s.name}}, L(s.label, s.name) + ' ↓')]));
  sort.value = params.get('sort') || 'relevance';
  const results = h('section', {id: 'results', 'aria-label': t('results', '', 2).trim() || t('search'), tabindex: '-1'});
  const facets = h('aside', {id: 'facets', 'aria-label': t('facetsLabel')});
  const form = h('form', {class: 'searchbar', role: 'search', onsubmit: e => { e.preventDefault(); go(0, false); }},
    box, sort, h('button', {type: 'submit'}, t('search')));
  // Results before filters in the page's order, for keyboard and screen-reader users;
  // the stylesheet still draws the filters on the left.
  put(app, form, h('div', {class: 'searchlayout'}, results, facets));
  document.title = (q ? q + ' · ' : '') + 'kb';

  let timer = null;
  const go = (offset, replace) => {
    const p = new URLSearchParams();
    if (box.value.trim()) p.set('q', box.value.trim());
    if (sort.value !== 'relevance') p.set('sort', sort.value);
    if (offset) p.set('offset', offset);
    const url = '/search' + (p.toString() ? '?' + p : '');
    if (replace) history.replaceState(null, '', url); else history.pushState(null, '', url);
    runSearch(results, facets, box, Number(offset) || 0);
  };
  box.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => go(0, true), 180); });
  sort.addEventListener('change', () => go(0, false));
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
  runSearch(results, facets, box, Number(params.get('offset')) || 0);
}

async function runSearch(results, facets, box, offset) {
  const q = box.value.trim();
  const sort = document.getElementById('sort').value;
  document.title = (q ? q + ' · ' : '') + 'kb';
  if (!q) {
    put(facets, );
    return renderLanding(results);
  }
  if (searchAbort) searchAbort.abort();
  searchAbort = new AbortController();
  const p = new URLSearchParams({q, limit: 10, offset});
  if (sort !== 'relevance') p.set('sort', sort);
  let r;
  try { r = await api('/api/search?' + p, {signal: searchAbort.signal}); } catch (e) { return; }
  if (box.value.trim() !== q) return; // a newer query is on its way
  if (!r.ok) {
    put(results, h('p', {class: 'error', id: 'search-error'}, errText(r.data),
      r.data.hint ? h('span', {class: 'hint'}, ' — ' + (state.lang === 'zh' && r.data.hint_zh || r.data.hint)) : null));
    put(facets, );
    return;
  }
  const d = r.data;
  // The count is exact unless total_estimated says otherwise.
  const n = v => (d.total_estimated ? t('about') : '') + v.toLocaleString();
  const head = d.relaxed ? t('relaxed', n(d.exact_total), n(d.total - d.exact_total)) : t('results', n(d.total), d.total);
  const list = h('ol', {class: 'hits', start: d.offset + 1});
  d.hits.forEach((hit, i) => {
    if (d.relaxed && d.exact_total > 0 && d.offset + i === d.exact_total)
      list.append(h('li', {class: 'partial-divider', id: 'partial-divider'}, t('partialBelow')));
    const meta = [typeLabel(hit.type), dateText(hit.date), hit.id].filter(Boolean).join(' · ');
    list.append(h('li', {class: 'hit'},
      h('h3', {}, link('/record/' + encodeURIComponent(hit.id), ...markLike(hit.title || hit.id, markedWords(hit.snippet)))),
      h('div', {class: 'meta'}, meta),
      hit.snippet ? h('p', {class: 'snippet'}, ...highlighted(hit.snippet)) : null));
  });
  const pager = h('div', {class: 'pager'});
  if (d.offset > 0) pager.append(h('button', {type: 'button', onclick: () => pageTo(Math.max(0, d.offset - d.limit))}, t('prev')));
  if (d.offset + d.hits.length < d.total) pager.append(h('button', {type: 'button', onclick: () => pageTo(d.offset + d.limit)}, t('next')));
  const suggestion = d.suggestion ? h('p', {class: 'suggestion', id: 'did-you-mean'}, t('didYouMean') + ' ',
    h('a', {href: '/search?q=' + encodeURIComponent(d.suggestion), onclick: e => {
      e.preventDefault(); box.value = d.suggestion; box.dispatchEvent(new Event('input')); }}, d.suggestion)) : null;
  // Which glossary entries the words were read as: why a hit without the typed word came.
  const synonyms = (d.synonyms || []).length ? h('p', {class: 'muted', id: 'synonyms'}, t('synonymsUsed') + ' ',
    ...d.synonyms.flatMap((forms, i) => [i ? '; ' : '', forms.slice(0, 6).join(' = ')])) : null;
  put(results, suggestion,
    ...d.notes.map((n, i) => noteWithFix((state.lang === 'zh' && (d.notes_zh || [])[i]) || n, box)),
    h('p', {class: 'count', id: 'result-count'}, d.total ? head : t('none')), synonyms,
    list, pager);
  renderFacets(facets, d.facets, box, d.facets_estimated);
  offerSorts(document.getElementById('sort'), d.facets && d.facets.type);

  function pageTo(o) {
    const p2 = new URLSearchParams(location.search);
    if (o) p2.set('offset', o); else p2.delete('offset');
    history.pushState(null, '', '/search?' + p2);
    runSearch(results, facets, box, o);
    window.scrollTo(0, 0);
  }
}

// The facets people use most come first; the rest are folded, and in every group only
// the first values show until "more" is pressed.
const FACET_ORDER = ['type', 'touchpoint', 'customer', 'year'];
const FACET_VALUES_SHOWN = 6;

// A note about the query; its "Did you mean field:value ?" is a link that puts that
// filter in place of the one typed.
function noteWithFix(note, box) {
  const m = note.match(/^(.*(?:Did you mean |你是不是要找 ))([a-z_][a-z0-9_-]*):(\S+)( \?)$/);
  if (!m) return h('p', {class: 'note'}, note);
  const [, before, field, value, after] = m;
  const fixed = box.value.trim().split(/\s+/).map(w => w.startsWith(field + ':') ? field + ':' + value : w).join(' ');
  return h('p', {class: 'note'}, before, link('/search?' + new URLSearchParams({q: fixed}), field + ':' + value), after);
}

function renderFacets(el, facets, box, estimated) {
  const q = box.value.trim();
  put(el, h('h2', {}, t('filters')), estimated ? h('p', {class: 'muted', id: 'facets-estimated'}, t('estimatedCounts')) : null);
  const names = state.schema ? state.schema.facets : {};
  const rank = name => { const i = FACET_ORDER.indexOf(name); return i < 0 ? FACET_ORDER.length : i; };
  const groups = Object.entries(facets || {}).filter(([, values]) => values.length)
    .sort((a, b) => rank(a[0]) - rank(b[0]));
  groups.forEach(([name, values]) => {
    const ul = h('ul', {});
    values.forEach((v, i) => {
      const filter = name + ':' + v.value;
      const on = queryHasFilter(q, filter);
      const text = name === 'type' ? typeLabel(v.value) : L(v.label, v.value);
      ul.append(h('li', {hidden: i >= FACET_VALUES_SHOWN && !on}, h('button', {type: 'button', class: on ? 'facet on' : 'facet', 'aria-pressed': on ? 'true' : 'false',
        dataset: {filter},
        onclick: () => {
          box.value = on ? (' ' + q + ' ').replace(' ' + filter + ' ', ' ').trim() : (q + ' ' + filter).trim();
          box.dispatchEvent(new Event('input'));
        }}, h('span', {}, text), h('span', {class: 'n'}, v.count.toLocaleString()))));
    });
    const hiddenCount = values.length - FACET_VALUES_SHOWN;
    const more = hiddenCount > 0 ? h('button', {type: 'button', class: 'facet-more', 'aria-expanded': 'false', onclick: e => {
      const open = e.currentTarget.getAttribute('aria-expanded') !== 'true';
      ul.querySelectorAll('li').forEach((li, i) => { if (i >= FACET_VALUES_SHOWN) li.hidden = !open && !li.querySelector('.on'); });
      e.currentTarget.setAttribute('aria-expanded', String(open));
      e.currentTarget.textContent = open ? t('fewer') : t('more', hiddenCount);
    }}, t('more', hiddenCount)) : null;
    const title = L(names[name], name);
    // Beyond the common four, a group opens on demand (or when one of its values is on).
    const folded = rank(name) >= FACET_ORDER.length && !values.some(v => queryHasFilter(q, name + ':' + v.value));
    el.append(folded
      ? h('details', {class: 'facetgroup', dataset: {facet: name}}, h('summary', {}, title), ul, more)
      : h('section', {class: 'facetgroup', dataset: {facet: name}}, h('h3', {}, title), ul, more));
  });
}

// Sort orders that fit the hits: relevance and date always, a field's order only when a
// type among the hits has that field.
function offerSorts(select, typeFacet) {
  if (!select || !state.schema) return;
  const present = new Set((typeFacet || []).map(v => v.value));
  const fieldsOf = ty => (ty.fields || []).map(f => f.name);
  const fits = name => state.schema.types.some(ty => present.has(ty.type) && fieldsOf(ty).includes(name));
  const chosen = select.value;
  select.querySelectorAll('option[data-field]').forEach(o => { o.hidden = !fits(o.dataset.field) && o.value !== chosen; });
}

// The words a snippet marks (⟦…⟧), to mark the same words in the title.
function markedWords(snippet) {
  const words = new Set();
  const re = new RegExp(MARK_OPEN + '([^' + MARK_CLOSE + ']+)' + MARK_CLOSE, 'g');
  for (const m of (snippet || '').matchAll(re)) if (m[1].trim()) words.add(m[1].trim());
  return [...words];
}

// Text with each occurrence of any of `words` (case-insensitive) in a <mark>.
function markLike(text, words) {
  if (!words.length) return [text];
  const escaped = words.sort((a, b) => b.length - a.length).map(w => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp('(' + escaped.join('|') + ')', 'gi');
  return text.split(re).map((part, i) => i % 2 ? h('mark', {}, part) : part).filter(x => x !== '');
}

async function renderLanding(results) {
  const r = await api('/api/records?limit=12');
  const list = h('ul', {class: 'recent'});
  for (const rec of (r.ok ? r.data.records : []))
    list.append(h('li', {}, link('/record/' + encodeURIComponent(rec.id), rec.title || rec.id),
      h('span', {class: 'meta'}, ' · ' + typeLabel(rec.type) + (rec.date ? ' · ' + dateText(rec.date) : ''))));
  const views = (state.schema ? state.schema.views : []).map(v =>
    link('/view/' + v.plugin + '/' + v.name, h('span', {class: 'tile'}, L(v.label, v.name))));
  // Example queries, each one click away (each finds something in the shipped content).
  const tips = ['割接 回退', 'cutover rollback', '"割接失败"', 'type:lesson customer:马电', 'date:2010-01..2012-12'];
  put(results, h('p', {class: 'muted', id: 'tips'}, t('tips'), ...tips.flatMap((q, i) =>
    [i ? ' · ' : ' ', link('/search?' + new URLSearchParams({q}), q)])),
    views.length ? h('div', {class: 'tiles'}, ...views) : null,
    h('h2', {}, t('recent'), ' ', h('a', {href: '/feeds/records.atom', class: 'feedlink', id: 'records-feed'}, t('feed'))), list);
}

// ---------------------------------------------------------------- record page

async function renderRecordPage(app, id) {
  const r = await api('/api/records/' + encodeURIComponent(id));
  if (!r.ok) return put(app, h('p', {class: 'error'}, errText(r.data)));
  const d = r.data;
  document.title = d.title + ' — kb';
  const meta = h('dl', {class: 'fields'});
  const spec = recordFieldSpecs(d.type);
  const isDate = name => ((spec[name] || state.schema.common_fields.find(x => x.name === name) || {}).type === 'date');
  for (const f of d.fields) {
    const dd = h('dd', {dataset: {field: f.name}});
    const vocab = (spec[f.name] || {}).vocabulary;
    f.items.forEach((item, i) => {
      if (i) dd.append(', ');
      const text = item.label ? L(item.label, item.value) : isDate(f.name) ? dateEl(item.value) : item.value;
      if (item.link) dd.append(link('/record/' + encodeURIComponent(item.link), item.title || item.value));
      // A vocabulary or enum value leads to every record with it, and to the views that
      // take its vocabulary (a customer's brief, a competitor's battlecard).
      else if (item.label && state.schema.facets[f.name] && !/\s/.test(item.value)) {
        dd.append(link('/search?' + new URLSearchParams({q: f.name + ':' + item.value}), text));
        for (const v of vocab ? viewsTaking(vocab) : [])
          dd.append(' ', link('/view/' + v.plugin + '/' + v.name + '?' + new URLSearchParams({[v.param]: item.value}),
            h('span', {class: 'viewlink'}, L(v.label, v.name))));
      } else dd.append(text);
    });
    meta.append(h('dt', {}, L(f.label, f.name)), dd);
  }
  meta.append(h('dt', {}, t('path')), h('dd', {}, h('code', {}, d.path)));
  const body = h('article', {class: 'markdown', id: 'record-body'});
  body.innerHTML = d.body_html; // cmark, safe mode: raw HTML and script URLs removed
  const refList = items => h('ul', {}, ...items.map(x =>
    h('li', {}, link('/record/' + encodeURIComponent(x.id), x.title || x.id), h('span', {class: 'meta'}, ' · ' + typeLabel(x.type)))));
  const similar = h('section', {class: 'side', id: 'similar'}, h('h2', {}, t('similar')), h('p', {class: 'muted'}, t('loading')));
  const side = h('aside', {class: 'recordside'},
    h('section', {class: 'side'}, h('h2', {}, t('fields')), meta),
    d.links.length ? h('section', {class: 'side'}, h('h2', {}, t('links')), refList(d.links)) : null,
    d.backlinks.length ? h('section', {class: 'side', id: 'backlinks'}, h('h2', {}, t('backlinks')), refList(d.backlinks)) : null,
    similar);
  const findings = d.findings.length ? h('div', {class: 'findings'}, h('h2', {}, t('findings')),
    h('ul', {}, ...d.findings.map(f => h('li', {class: f.warning ? 'warn' : 'err'}, (state.lang === 'zh' && f.text_zh) || f.text)))) : null;
  put(app, h('div', {class: 'recordhead'},
    h('span', {class: 'badge'}, d.type_label ? L(d.type_label, d.type) : d.type),
    h('h1', {id: 'record-title'}, d.title || d.id),
    h('div', {class: 'meta'}, [dateText(d.date), d.id].filter(Boolean).join(' · ')),
    d.editable && can('edit') ? link('/edit/' + encodeURIComponent(d.id), h('span', {class: 'button'}, t('edit'))) : null),
  findings, h('div', {class: 'recordlayout'}, body, side));
  const s = await api('/api/similar?' + new URLSearchParams({id: d.id, limit: 5, facets: 0}));
  put(similar, h('h2', {}, t('similar')),
    s.ok && s.data.hits.length ? refList(s.data.hits) : h('p', {class: 'muted'}, t('noCards')));
  renderHistory(d);
}

// The field specs of a record type, by name (empty for a type the schema lacks).
function recordFieldSpecs(type) {
  const ty = state.schema && state.schema.types.find(x => x.type === type);
  return Object.fromEntries(((ty && ty.fields) || []).map(f => [f.name, f]));
}

// The plugin views with a parameter of this vocabulary, and that parameter's name.
function viewsTaking(vocabulary) {
  return (state.schema.views || []).flatMap(v => (v.params || []).filter(p => p.vocabulary === vocabulary)
    .slice(0, 1).map(p => ({plugin: v.plugin, name: v.name, label: v.label, param: p.name})));
}

// The record's versions in the git history (history: git in kb.yaml): who changed what,
// and a way back. A restore is itself a new version, so it needs no confirmation.
async function renderHistory(d) {
  const r = await api('/api/records/' + encodeURIComponent(d.id) + '/history');
  if (!r.ok || !r.data.available || !r.data.versions.length) return;
  const list = h('ol', {class: 'versions'});
  const ty = state.schema.types.find(x => x.type === d.type);
  const spec = name => [...(ty ? ty.fields : []), ...state.schema.common_fields].find(x => x.name === name);
  r.data.versions.forEach((v, i) => {
    const changes = v.first ? [h('li', {class: 'muted'}, t('firstVersion'))] : v.changes.map(c =>
      h('li', {dataset: {field: c.field}}, h('b', {}, spec(c.field) ? L(spec(c.field).label, c.field) : c.field), ': ', h('del', {}, c.before || '—'), ' → ', h('ins', {}, c.after || '—')));
    if (!v.first && (v.body.added || v.body.removed)) changes.push(h('li', {}, t('bodyLines', v.body.added, v.body.removed)));
    const err = h('div', {class: 'field-error', role: 'alert'});
    const restore = i > 0 && can('edit') ? h('button', {type: 'button', class: 'restore secondary', onclick: async () => {
      restore.disabled = true;
      const res = await api('/api/records/' + encodeURIComponent(d.id) + '/restore', {method: 'POST', body: {version: v.version}});
      restore.disabled = false;
      if (!res.ok) { err.textContent = errText(res.data); return; }
      notice(t('restored', res.data.message));
      renderRecordPage(document.getElementById('app'), d.id);
    }}, t('restoreVersion')) : (i === 0 ? h('span', {class: 'tag'}, t('current')) : null);
    list.append(h('li', {class: 'version', dataset: {version: v.short}},
      h('div', {class: 'meta'}, h('code', {}, v.short), ' · ',
        h('time', {datetime: new Date(v.time * 1000).toISOString(), title: v.date},
          new Intl.DateTimeFormat(dateLocale(), {dateStyle: 'medium', timeStyle: 'short'}).format(new Date(v.time * 1000))),
        ' · ', v.author),
      h('div', {}, v.message), h('ul', {class: 'changes'}, ...changes), restore, err));
  });
  const where = document.getElementById('record-body');
  if (where) where.after(h('section', {class: 'history', id: 'history'}, h('h2', {}, t('history')), list));
}

// ---------------------------------------------------------------- forms

// `value` as stored; `chosen`, where given, the vocabulary entries it names (a label or
// alias written in the file selects its entry, so an unchanged form writes nothing).
function fieldInput(f, value, chosen) {
  const name = 'f.' + f.name;
  const terms = f.vocabulary && state.schema.vocabularies[f.vocabulary];
  const named = f.value_labels || {};
  // Options by their labels; the code a file holds is what is saved.
  const options = f.values ? f.values.map(v => ({id: v, text: named[v] ? L(named[v], v) : v}))
    : terms ? terms.map(x => ({id: x.id, text: (state.lang === 'en' ? x.en || x.zh : x.zh || x.en) || x.id})) : null;
  const isList = f.type === 'list';
  const vals = chosen ? chosen.map(String)
    : value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
  // A value the options do not know is offered as itself, never shown blank and lost.
  if (options) for (const v of vals) if (!options.some(o => o.id === v)) options.push({id: v, text: v});
  if (options && isList) {
    return h('div', {class: 'checks', id: name, role: 'group'}, ...options.map(o =>
      h('label', {class: 'check'}, h('input', {type: 'checkbox', name, value: o.id, checked: vals.includes(o.id)}), ' ' + o.text)));
  }
  if (options) {
    const sel = h('select', {id: name, name},
      h('option', {value: ''}, '—'),
      ...options.map(o => h('option', {value: o.id}, o.text)));
    sel.value = vals[0] !== undefined ? vals[0] : (f.default || '');
    return sel;
  }
  if (f.type === 'text')
    return h('textarea', {id: name, name, rows: 3}, vals.join('\n'));
  if (f.type === 'bool') {
    const sel = h('select', {id: name, name}, h('option', {value: ''}, '—'),
      h('option', {value: 'true'}, 'true / 是'), h('option', {value: 'false'}, 'false / 否'));
    sel.value = vals[0] || '';
    return sel;
  }
  // A stored value a date or number box cannot hold (2010-3-1, "about 5") stays text.
  const fits = !vals[0] || (f.type === 'date' ? /^\d{4}-\d{2}-\d{2}$/.test(vals[0]) : /^-?\d+(\.\d+)?$/.test(vals[0]));
  const type = f.type === 'date' && fits ? 'date' : f.type === 'number' && fits ? 'number' : 'text';
  return h('input', {id: name, name, type, value: isList ? vals.join(', ') : (vals[0] || f.default || ''),
    placeholder: isList ? t('addValue') : ''});
}

function readInput(form, f) {
  const name = 'f.' + f.name;
  const boxes = form.querySelectorAll(`input[type=checkbox][name="${CSS.escape(name)}"]`);
  if (boxes.length) return [...boxes].filter(b => b.checked).map(b => b.value);
  const el = form.elements[name];
  if (!el) return undefined;
  if (f.type === 'list') return el.value.split(/[,，]/).map(s => s.trim()).filter(Boolean);
  return el.value.trim();
}

function fieldRow(id, labelText, required, input, help) {
  return h('div', {class: 'row', dataset: {row: id}},
    h('label', {for: input.id || id}, labelText, required ? h('span', {class: 'req', title: t('required')}, ' *') : null),
    input,
    help ? h('small', {class: 'muted'}, help) : null,
    h('div', {class: 'field-error', dataset: {for: id}, role: 'alert'}));
}

function showFieldErrors(form, errors) {
  form.querySelectorAll('.field-error').forEach(e => { e.textContent = ''; });
  form.querySelectorAll('.row.bad').forEach(e => e.classList.remove('bad'));
  let first = null;
  for (const [field, message] of Object.entries(errors || {})) {
    const slot = form.querySelector(`.field-error[data-for="${CSS.escape(field)}"]`);
    if (!slot) continue;
    slot.textContent = message;
    slot.parentElement.classList.add('bad');
    first = first || slot.parentElement;
  }
  form.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
  form.querySelectorAll('.row.bad').forEach(row => {
    const input = row.querySelector('input, select, textarea');
    if (input) input.setAttribute('aria-invalid', 'true');
  });
  if (first) {
    first.scrollIntoView({block: 'center'});
    // The keyboard follows the eye to the first field to fix.
    const input = first.querySelector('input, select, textarea');
    if (input) input.focus({preventScroll: true});
  }
}

function renderNewChooser(app) {
  put(app, h('h1', {}, t('file')), h('p', {}, t('chooseType')),
    h('div', {class: 'tiles'}, ...state.schema.types.map(ty =>
      link('/new/' + ty.type, h('span', {class: 'tile'}, L(ty.label, ty.type))))));
}

// What every input of the form shows, by name: an edit sends only what the user changed.
function formState(form) {
  const st = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === 'checkbox') st[el.name] = (st[el.name] || '') + (el.checked ? el.value + '\u0001' : '');
    else st[el.name] = el.value;
  }
  return st;
}

function renderForm(app, ty, record) {
  const editing = !!record;
  const values = editing ? record.values : {};
  // Vocabulary entries of each field as the server resolved them (label or alias -> id).
  const chosen = Object.fromEntries((editing ? record.fields : []).map(x => [x.name, x.items.map(i => i.term || i.value)]));
  const form = h('form', {class: 'recordform', id: 'record-form', novalidate: true});
  const common = Object.fromEntries(state.schema.common_fields.map(f => [f.name, f]));
  const title = h('input', {id: 'f.title', name: 'f.title', value: editing ? record.title : ''});
  form.append(fieldRow('title', L(common.title && common.title.label, t('title')), true, title));
  const storedDate = editing ? (values.date || '') : state.info.today;
  const date = h('input', {id: 'f.date', name: 'f.date', type: /^\d{4}-\d{2}-\d{2}$|^$/.test(storedDate) ? 'date' : 'text', value: storedDate});
  form.append(fieldRow('date', L(common.date && common.date.label, t('date')), true, date));
  const pick = f => (chosen[f.name] && (f.vocabulary || f.values) ? chosen[f.name] : undefined);
  if (common.tags) form.append(fieldRow('tags', L(common.tags.label, 'tags'), false, fieldInput(common.tags, values.tags, pick(common.tags))));
  for (const f of ty.fields) {
    const input = fieldInput(f, values[f.name], pick(f));
    // A board's column changes on the board, which checks the allowed steps.
    if (editing && f.board) input.disabled = true;
    form.append(fieldRow(f.name, L(f.label, f.name), f.required, input, editing && f.board ? t('boardField') : f.help));
  }
  if (editing) {
    form.append(fieldRow('body', t('body'), false, h('textarea', {id: 'f.body', name: 'f.body', rows: 16}, record.body)));
  } else {
    ty.sections.forEach((sec, i) => form.append(fieldRow('section' + i, L(sec), false,
      h('textarea', {id: 'f.section' + i, name: 'f.section' + i, rows: 4}))));
  }
  const submit = h('button', {type: 'submit', id: 'save'}, t('save'));
  const status = h('p', {class: 'formstatus', role: 'status'});
  form.append(h('div', {class: 'actions'}, submit,
    link(editing ? '/record/' + encodeURIComponent(record.id) : '/', h('span', {class: 'button secondary'}, t('cancel'))), status));
  const all = [...(common.tags ? [common.tags] : []), ...ty.fields];
  const initial = formState(form);
  // The user's changes: fields (and title, date, body) whose inputs differ from how they opened.
  const changes = () => {
    const now = formState(form), fields = {};
    for (const f of all) {
      const v = readInput(form, f);
      if (!editing) { if (v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)) fields[f.name] = v; continue; }
      if (now['f.' + f.name] !== initial['f.' + f.name]) fields[f.name] = v;
    }
    const mine = {fields};
    if (editing) {
      if (now['f.title'] !== initial['f.title']) fields.title = title.value.trim();
      if (now['f.date'] !== initial['f.date']) fields.date = date.value;
      if (now['f.body'] !== initial['f.body']) mine.body = form.elements['f.body'].value;
    }
    return mine;
  };
  form.addEventListener('submit', async e => {
    e.preventDefault();
    submit.disabled = true;
    status.textContent = t('saving');
    const mine = changes();
    let r;
    if (editing) {
      r = await api('/api/records/' + encodeURIComponent(record.id), {method: 'PUT',
        body: {version: record.version, fields: mine.fields, ...(mine.body !== undefined ? {body: mine.body} : {})}});
    } else {
      const sections = ty.sections.map((_, i) => form.elements['f.section' + i].value);
      r = await api('/api/records', {method: 'POST',
        body: {type: ty.type, title: title.value.trim(), date: date.value, fields: mine.fields, sections}});
    }
    submit.disabled = false;
    if (r.ok) {
      notice(t('saved', r.data.path));
      return navigate('/record/' + encodeURIComponent(r.data.id));
    }
    if (r.status === 409 && editing) {
      put(status, h('span', {class: 'error'}, t('conflict')));
      return showConflict(form, status, record, mine, ty);
    }
    put(status, h('span', {class: 'error'}, r.data.fields ? t('fixFields') : errText(r.data)));
    showFieldErrors(form, fieldErrors(r.data));
  });
  if (!editing) watchForRecurrence(form, title);
  put(app, h('h1', {}, (editing ? t('edit') : t('file')) + ' · ' + L(ty.label, ty.type)), form);
  title.focus();
}

// The recurrence check while filing: as the title and first section are typed, the closest
// existing records appear under the title (has this happened before?).
function watchForRecurrence(form, title) {
  const box = h('div', {class: 'recurrence', id: 'recurrence', 'aria-live': 'polite', hidden: true});
  title.parentElement.append(box);
  const first = form.elements['f.section0'];
  let timer = 0, asked = '';
  const ask = async () => {
    // Words only: query syntax typed into a title must not become operators.
    const words = (title.value + ' ' + (first ? first.value.slice(0, 300) : ''))
      .replace(/[:"()\-]/g, ' ').split(/\s+/).filter(w => w && !/^(AND|OR|NOT)$/.test(w)).slice(0, 30).join(' ');
    if (words === asked) return;
    asked = words;
    if (words.length < 2) { box.hidden = true; return; }
    const r = await api('/api/search?' + new URLSearchParams({q: words, limit: 3, facets: 0}));
    if (words !== asked) return; // a newer text is on its way
    if (!r.ok || !r.data.hits.length) { box.hidden = true; return; }
    put(box, h('p', {class: 'muted'}, t('seenBefore')), h('ul', {}, ...r.data.hits.map(hit =>
      h('li', {}, link('/record/' + encodeURIComponent(hit.id), hit.title || hit.id),
        ' ', h('span', {class: 'muted'}, [typeLabel(hit.type), dateText(hit.date)].filter(Boolean).join(' · ')),
        ...(isClosed(hit) ? [' ', h('strong', {class: 'closed-ask'}, t('closedAsk'))] : [])))));
    box.hidden = false;
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(ask, 400); };
  title.addEventListener('input', later);
  if (first) first.addEventListener('input', later);
}

// ---------------------------------------------------------------- edit conflicts

const lf = s => String(s || '').replace(/\r\n/g, '\n');
const shownValue = v => v === undefined || v === null ? '' : Array.isArray(v) ? v.map(String).join(', ') : String(v);
const fieldOf = (rec, name) => name === 'title' ? rec.title : rec.values[name];

// Hunks turning lines `a` into lines `b`: [{start, end, lines}] over `a` (LCS).
function diffLines(a, b) {
  const n = a.length, m = b.length;
  if (n * m > 4e6) return n === m && a.every((x, i) => x === b[i]) ? [] : [{start: 0, end: n, lines: b}];
  const dp = Array.from({length: n + 1}, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const hunks = [];
  let i = 0, j = 0, cur = null;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { if (cur) hunks.push(cur); cur = null; i++; j++; continue; }
    cur = cur || {start: i, end: i, lines: []};
    if (j < m && (i === n || dp[i][j + 1] >= dp[i + 1][j])) cur.lines.push(b[j++]);
    else cur.end = ++i;
  }
  if (cur) hunks.push(cur);
  return hunks;
}

// A three-way merge by lines: a change on one side applies; where both sides changed the
// same lines differently, both versions stay, between conflict markers.
function merge3(base, mine, theirs) {
  const b = lf(base).split('\n'), A = diffLines(b, lf(mine).split('\n')), B = diffLines(b, lf(theirs).split('\n'));
  const out = [];
  let pos = 0, ia = 0, ib = 0, clean = true;
  while (ia < A.length || ib < B.length) {
    const first = ib >= B.length || (ia < A.length && A[ia].start <= B[ib].start) ? A[ia] : B[ib];
    const start = first.start, ga = [], gb = [];
    let end = first.end, grew = true;
    while (grew) {
      grew = false;
      while (ia < A.length && A[ia].start <= end) { ga.push(A[ia]); end = Math.max(end, A[ia++].end); grew = true; }
      while (ib < B.length && B[ib].start <= end) { gb.push(B[ib]); end = Math.max(end, B[ib++].end); grew = true; }
    }
    const side = g => { const r = []; let p = start; for (const x of g) { r.push(...b.slice(p, x.start), ...x.lines); p = x.end; } r.push(...b.slice(p, end)); return r; };
    out.push(...b.slice(pos, start));
    const ma = side(ga), mb = side(gb);
    if (!gb.length || ma.join('\n') === mb.join('\n')) out.push(...ma);
    else if (!ga.length) out.push(...mb);
    else { clean = false; out.push('<<<<<<< ' + t('yours'), ...ma, '=======', ...mb, '>>>>>>> ' + t('theirs')); }
    pos = end;
  }
  out.push(...b.slice(pos));
  return {text: out.join('\n'), clean};
}

function diffView(from, to, id) {
  const a = lf(from).split('\n');
  const lines = [];
  for (const x of diffLines(a, lf(to).split('\n'))) {
    lines.push(h('span', {class: 'diff-at'}, '@@ ' + (x.start + 1) + '\n'));
    for (const l of a.slice(x.start, x.end)) lines.push(h('span', {class: 'diff-del'}, '- ' + l + '\n'));
    for (const l of x.lines) lines.push(h('span', {class: 'diff-add'}, '+ ' + l + '\n'));
  }
  return h('pre', {class: 'diff', id}, ...lines);
}

// A stale save: the record as it is now beside what this user typed, field by field and
// the body as diffs; per field the user keeps theirs or mine, the body can be merged.
async function showConflict(form, status, base, mine, ty) {
  const spec = name => [...ty.fields, ...state.schema.common_fields].find(x => x.name === name);
  const r = await api('/api/records/' + encodeURIComponent(base.id));
  if (!r.ok) return put(status, h('span', {class: 'error'}, errText(r.data)));
  const now = r.data;
  const old = document.getElementById('conflict');
  if (old) old.remove();
  const panel = h('div', {class: 'conflict', id: 'conflict', role: 'region'});
  const choose = {}; // field -> 'mine' | 'theirs'
  const rows = [];
  const names = new Set(['title', ...Object.keys(mine.fields), ...Object.keys(now.values), ...Object.keys(base.values)]);
  for (const name of names) {
    const b = shownValue(fieldOf(base, name)), n = shownValue(fieldOf(now, name));
    const typed = name in mine.fields;
    const m = typed ? shownValue(mine.fields[name]) : b;
    if ((spec(name) && spec(name).automatic) || (n === b && !typed) || (typed && m === n)) continue;
    // Values as the form shows them: an enum's or a vocabulary's labels, not its codes.
    const shown = v => {
      const f = spec(name);
      if (!f || !v) return v;
      return String(v).split(', ').map(x => {
        const named = (f.value_labels || {})[x];
        return named ? L(named, x) : f.vocabulary ? termLabel(f.vocabulary, x) : x;
      }).join(', ');
    };
    const row = h('tr', {dataset: {field: name}}, h('th', {}, spec(name) ? L(spec(name).label, name) : name), h('td', {class: 'base'}, shown(b)),
      h('td', {class: 'theirs'}, shown(n)), h('td', {class: 'mine'}, shown(m)));
    if (!typed) row.append(h('td', {}, t('onlyTheirs')));
    else if (n === b) { choose[name] = 'mine'; row.append(h('td', {}, t('onlyMine'))); }
    else {
      choose[name] = 'mine';
      row.append(h('td', {}, ...['mine', 'theirs'].map(side => h('label', {class: 'check'},
        h('input', {type: 'radio', name: 'pick.' + name, value: side, checked: side === 'mine', onchange: () => { choose[name] = side; }}),
        ' ' + t(side === 'mine' ? 'keepMine' : 'takeTheirs')))));
    }
    rows.push(row);
  }
  if (rows.length)
    panel.append(h('table', {class: 'conflict-fields'},
      h('tr', {}, h('th', {}, ''), h('th', {}, t('base')), h('th', {}, t('theirs')), h('th', {}, t('yours')), h('th', {}, '')), ...rows));
  let bodyChoice = mine.body === undefined ? 'theirs' : lf(now.body) === lf(base.body) ? 'mine' : 'merge';
  const merged = mine.body === undefined ? null : merge3(base.body, mine.body, now.body);
  const mergeBox = h('textarea', {id: 'conflict-merged', rows: 12}, merged ? merged.text : '');
  if (bodyChoice === 'merge') {
    panel.append(h('h3', {}, t('bodyDiff')),
      h('div', {class: 'diffs'},
        h('div', {}, h('h4', {}, t('theirs')), diffView(base.body, now.body, 'diff-theirs')),
        h('div', {}, h('h4', {}, t('yours')), diffView(base.body, mine.body, 'diff-mine'))),
      h('div', {class: 'row'}, ...[['mine', 'keepMine'], ['theirs', 'takeTheirs'], ['merge', 'merged']].map(([side, label]) =>
        h('label', {class: 'check'},
          h('input', {type: 'radio', name: 'pick.body', value: side, checked: side === 'merge',
            onchange: () => { bodyChoice = side; mergeBox.hidden = side !== 'merge'; }}),
          ' ' + t(label)))),
      h('small', {class: 'muted'}, t('mergeHint')), mergeBox);
  }
  const save = h('button', {type: 'button', id: 'conflict-save'}, t('saveChoices'));
  save.addEventListener('click', async () => {
    const fields = {};
    for (const [name, side] of Object.entries(choose)) if (side === 'mine') fields[name] = mine.fields[name];
    const body = bodyChoice === 'mine' ? mine.body : bodyChoice === 'merge' ? mergeBox.value : undefined;
    const res = await api('/api/records/' + encodeURIComponent(base.id), {method: 'PUT',
      body: {version: now.version, fields, ...(body !== undefined ? {body} : {})}});
    if (res.ok) { notice(t('saved', res.data.path)); return navigate('/record/' + encodeURIComponent(res.data.id)); }
    if (res.status === 409) return showConflict(form, status, now, mine, ty); // changed again meanwhile
    put(status, h('span', {class: 'error'}, res.data.fields ? t('fixFields') : errText(res.data)));
    showFieldErrors(form, fieldErrors(res.data));
  });
  panel.append(h('div', {class: 'actions'}, save,
    h('button', {type: 'button', class: 'secondary', id: 'conflict-reload', onclick: () => route()}, t('reload'))));
  form.append(panel);
  panel.scrollIntoView({block: 'start'});
}

async function renderEdit(app, id) {
  const r = await api('/api/records/' + encodeURIComponent(id));
  if (!r.ok) return put(app, h('p', {class: 'error'}, errText(r.data)));
  const ty = state.schema.types.find(x => x.type === r.data.type);
  if (!ty || !r.data.editable) return put(app, h('p', {class: 'error'}, r.data.path));
  renderForm(app, ty, r.data);
}

// ---------------------------------------------------------------- plugin views

async function renderView(app, plugin, name) {
  const view = state.schema.views.find(v => v.plugin === plugin && v.name === name);
  if (!view) return put(app, h('p', {class: 'error'}, t('notFound')));
  document.title = L(view.label, name) + ' — kb';
  const params = new URLSearchParams(location.search);
  const heading = h('h1', {}, L(view.label, name));
  const body = h('div', {id: 'view-body'}, h('p', {class: 'muted'}, t('loading')));
  const controls = h('form', {class: 'viewcontrols', onsubmit: e => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const el of controls.querySelectorAll('select')) if (el.value) p.set(el.name, el.value);
    navigate(location.pathname + (p.toString() ? '?' + p : ''));
  }});
  for (const p of view.params) {
    const terms = state.schema.vocabularies[p.vocabulary] || [];
    const sel = h('select', {name: p.name, id: 'param-' + p.name, 'aria-label': L(p.label, p.name), onchange: () => {
      controls.querySelectorAll('select').forEach(o => { if (o !== sel) o.value = ''; });
      controls.requestSubmit();
    }}, h('option', {value: ''}, L(p.label, p.name) + ' — ' + t('choose')),
      ...terms.map(x => h('option', {value: x.id}, state.lang === 'en' ? x.en || x.zh : x.zh || x.en)));
    sel.value = params.get(p.name) || '';
    controls.append(sel);
  }
  put(app, heading, view.params.length ? controls : null, body);
  if (view.kind === 'board') return renderBoard(body, view, params);
  // Charts are drawn by the server, in the reader's language.
  if (view.kind === 'charts') params.set('lang', state.lang);
  const r = await api('/api/views/' + plugin + '/' + name + '?' + params);
  if (!r.ok) return put(body, h('p', {class: 'error'}, errText(r.data)));
  if (r.data.needs_params) return put(body, h('p', {class: 'muted'}, t('pickParam')));
  if (view.kind === 'markdown') {
    const art = h('article', {class: 'markdown'});
    art.innerHTML = r.data.html; // cmark, safe mode
    localizeDates(art);
    put(body, art);
    return linkRecordIds(art);
  }
  if (view.kind === 'journey') return renderJourney(body, r.data.data);
  if (view.kind === 'charts') return renderCharts(body, r.data.data);
}

// A charts view: each chart the server drew (SVG, every text escaped there, no script),
// under its title; each bar a link to the records behind it.
function renderCharts(body, data) {
  const charts = (data.charts || []).map(c => {
    const drawing = h('div', {class: 'chart-drawing'});
    drawing.innerHTML = c.svg;
    return h('section', {class: 'chart', id: 'chart-' + c.key}, h('h2', {}, L(c, c.key)), drawing);
  });
  put(body, h('div', {class: 'charts'}, ...charts));
}

// Record ids a plugin's page prints as code (`les-2010-…`) become links to the record,
// once the server confirms each one exists (and the reader may open it).
async function linkRecordIds(root) {
  const codes = [...root.querySelectorAll('code')].filter(c =>
    !c.closest('pre') && /^[a-z][a-z0-9]*-[A-Za-z0-9._-]+$/.test(c.textContent));
  await Promise.all(codes.map(async c => {
    const id = c.textContent;
    const res = await api('/api/records/' + encodeURIComponent(id), {method: 'HEAD'}).catch(() => null);
    if (!res || !res.ok || !c.isConnected) return;
    const a = h('a', {href: '/record/' + encodeURIComponent(id), 'data-nav': ''});
    c.replaceWith(a);
    a.append(c);
  }));
}

function renderJourney(body, stations) {
  const max = Math.max(1, ...stations.flatMap(s => (s.counts || []).map(c => c.count)));
  const road = h('ol', {class: 'journey', id: 'journey'});
  stations.forEach((s, i) => {
    const bars = h('div', {class: 'bars'});
    (s.counts || []).forEach((c, k) => bars.append(link('/search?' + new URLSearchParams({q: c.query}),
      h('span', {class: 'bar k' + k, style: null, title: L(c, c.key) + ': ' + c.count, dataset: {count: c.count}},
        h('span', {class: 'num'}, c.count), h('span', {class: 'fill'})))));
    road.append(h('li', {class: 'station'},
      h('div', {class: 'stop'}, String(i + 1)),
      link('/search?' + new URLSearchParams({q: s.query}), h('span', {class: 'stname'}, L(s, s.touchpoint))),
      bars));
  });
  const legend = h('div', {class: 'legend'}, ...((stations[0] && stations[0].counts) || []).map((c, k) =>
    h('span', {class: 'key k' + k}, h('span', {class: 'swatch'}), L(c, c.key))));
  put(body, legend, h('p', {class: 'muted'}, t('journeyHint')), road);
  // Bar heights are data, set through the CSSOM (the page's CSP forbids inline styles).
  road.querySelectorAll('.bar').forEach(b => {
    b.querySelector('.fill').style.height = Math.round(100 * Number(b.dataset.count) / max) + '%';
  });
}

async function renderBoard(body, view, params) {
  const r = await api('/api/views/' + view.plugin + '/' + view.name + '?' + params);
  if (!r.ok) return put(body, h('p', {class: 'error'}, errText(r.data)));
  const b = r.data.data;
  const done = new Set(view.done || []);
  const owner = h('select', {id: 'board-owner', 'aria-label': t('owner'), onchange: () => {
    const p = new URLSearchParams(); if (owner.value) p.set('owner', owner.value);
    navigate(location.pathname + (p.toString() ? '?' + p : ''));
  }}, h('option', {value: ''}, t('owner') + ': ' + t('all')), ...(b.owners || []).map(o => h('option', {value: o}, o)));
  owner.value = params.get('owner') || '';
  const label = v => { const c = b.columns.find(x => x.value === v); return c ? L(c, v) : v; };
  const byId = Object.fromEntries(b.cards.map(c => [c.id, c]));
  // One way to move, for the mouse (drag a card onto a column) and the keyboard (the
  // card's menu): the plugin's verb decides, and a refusal is said beside the card.
  const moveCard = async (c, to, noteText, errSlot) => {
    errSlot.textContent = '';
    if (!c.next.includes(to)) {
      errSlot.textContent = t('cannotMove', label(c[b.field]), label(to), c.next.map(label).join(t('listSep')) || t('noCards'));
      return;
    }
    const res = await api('/api/views/' + view.plugin + '/' + view.name + '/move', {method: 'POST',
      body: {id: c.id, to, note: noteText}});
    if (!res.ok) { errSlot.textContent = t('moveRefused', label(to)) + ' ' + errText(res.data); return; }
    // Said with the columns' labels, not the plugin's codes.
    notice(t('moved', (c.title || c.id) + ': ' + label(c[b.field]) + ' → ' + label(to)));
    renderBoard(body, view, params);
  };
  const errSlots = {};
  const cardEl = c => {
    const err = h('div', {class: 'field-error', role: 'alert'});
    errSlots[c.id] = err;
    const note = h('input', {type: 'text', class: 'move-note', placeholder: t('note'), 'aria-label': t('note'), hidden: true});
    const go = h('button', {type: 'button', class: 'move-go', hidden: true, onclick: async () => {
      if (!move.value) return;
      go.disabled = true;
      await moveCard(c, move.value, note.value, err);
      go.disabled = false;
    }}, t('move'));
    const move = h('select', {'aria-label': t('move') + ': ' + (c.title || c.id), class: 'move-to', onchange: () => {
      note.hidden = go.hidden = !move.value;
      move.closest('.card').classList.toggle('choosing', !!move.value);
      err.textContent = '';
    }}, h('option', {value: ''}, t('move') + '…'), ...c.next.map(n => h('option', {value: n}, label(n))));
    const movable = c.next.length && can('move');
    return h('article', {class: 'card' + (c.overdue ? ' overdue' : ''), dataset: {id: c.id, column: c[b.field]},
      draggable: movable ? 'true' : null,
      ondragstart: e => { e.dataTransfer.setData('text/plain', c.id); e.dataTransfer.effectAllowed = 'move'; }},
      link('/record/' + encodeURIComponent(c.id), c.title || c.id),
      h('div', {class: 'meta'}, [c.owner, c.due ? t('due') + ' ' + dateText(c.due) : ''].filter(Boolean).join(' · '),
        c.overdue ? h('span', {class: 'tag overdue'}, t('overdue')) : null),
      movable ? h('div', {class: 'mover'}, move, note, go) : null, err);
  };
  const board = h('div', {class: 'board', id: 'board'});
  for (const col of b.columns) {
    const cards = b.cards.filter(c => c[b.field] === col.value); // the field the board sorts by
    const list = h('div', {class: 'cards'}, ...cards.map(cardEl));
    const heading = [L(col, col.value), h('span', {class: 'n'}, cards.length)];
    const content = cards.length ? list : h('p', {class: 'muted'}, t('noCards'));
    // Finished columns are folded: open on demand, still a place to drop a card.
    const section = done.has(col.value)
      ? h('details', {class: 'column done', dataset: {column: col.value}}, h('summary', {}, ...heading), content)
      : h('section', {class: 'column', dataset: {column: col.value}}, h('h2', {}, ...heading), content);
    section.addEventListener('dragover', e => { e.preventDefault(); section.classList.add('drop'); });
    section.addEventListener('dragleave', () => section.classList.remove('drop'));
    section.addEventListener('drop', e => {
      e.preventDefault();
      section.classList.remove('drop');
      const c = byId[e.dataTransfer.getData('text/plain')];
      if (c && c[b.field] !== col.value) moveCard(c, col.value, '', errSlots[c.id]);
    });
    board.append(section);
  }
  const calendar = h('a', {href: '/feeds/views/' + view.plugin + '/' + view.name + '.ics' + (owner.value ? '?' + new URLSearchParams({owner: owner.value}) : ''),
    class: 'feedlink', id: 'board-calendar', title: t('calendarHint')}, t('calendar'));
  put(body, h('div', {class: 'viewcontrols'}, owner, calendar), board);
}

// ---------------------------------------------------------------- shell

function renderNav() {
  const nav = document.getElementById('nav');
  put(nav, link('/search', t('search')),
    can('file') ? link('/new', t('file')) : null,
    ...state.schema.views.map(v => link('/view/' + v.plugin + '/' + v.name, L(v.label, v.name))),
    can('users') ? link('/users', t('accounts')) : null);
  const here = location.pathname;
  nav.querySelectorAll('a').forEach(a => {
    const p = new URL(a.href).pathname;
    if (here === p || (p !== '/' && here.startsWith(p + '/')) || (p === '/search' && here === '/')) a.classList.add('here');
  });
  document.getElementById('skip').textContent = t('skip');
  const lang = document.getElementById('lang');
  lang.textContent = t('language');
  document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh';
  // A pull from the shared repository that could not be made stays on every page.
  const sync = state.info.sync || {};
  const syncBanner = document.getElementById('sync');
  syncBanner.hidden = sync.state !== 'conflict' && sync.state !== 'failed';
  syncBanner.textContent = syncBanner.hidden ? '' : t('syncProblem') + ' ' + sync.message;
  const who = document.getElementById('who');
  const signOut = h('button', {type: 'button', id: 'signout', class: 'secondary', onclick: async () => {
    await api('/api/logout', {method: 'POST', body: {}});
    await loadInfo();
    notice(t('signedOut'));
    navigate('/');
  }}, t('signOut'));
  // A signed-in person's name leads to their own password change (local accounts).
  put(who, state.info.user ? (state.info.sign_in ? link('/account', h('span', {class: 'user', title: t('changePassword')}, state.info.user))
                                                 : h('span', {class: 'user'}, state.info.user)) : null,
    state.info.user && state.info.sign_in ? signOut : null,
    !state.info.user && state.info.sign_in && location.pathname !== '/login'
      ? link('/login?next=' + encodeURIComponent(location.pathname + location.search), t('signIn')) : null);
  const token = document.getElementById('token');
  const needsToken = !state.info.can_write || !state.info.can_read_restricted;
  token.hidden = (!needsToken || state.info.sign_in) && !state.token;
  token.textContent = t('token');
  token.classList.toggle('unlocked', !!state.token); // a dot drawn in CSS: no emoji font needed
  token.title = !state.info.can_write ? t('readOnly') : t('restrictedHidden');
}

async function route() {
  const app = document.getElementById('app');
  const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  document.title = 'kb';
  renderNav();
  if (parts[0] === 'login') return renderSignIn(app);
  // anonymous: none in kb.yaml: a stranger is shown the sign-in page and nothing else.
  if (!(state.info.rights || []).length && state.info.sign_in)
    return navigate('/login?next=' + encodeURIComponent(location.pathname + location.search), true);
  if (!parts.length || parts[0] === 'search') return renderSearchPage(app);
  if (parts[0] === 'record' && parts[1]) return renderRecordPage(app, parts[1]);
  // Writing pages say at once when the reader may not write, rather than after a form.
  if ((parts[0] === 'new' && !can('file')) || (parts[0] === 'edit' && !can('edit'))) {
    document.title = t('notAllowed') + ' · kb';
    return put(app, h('p', {class: 'error', role: 'alert'}, t('notAllowed')),
      state.info.sign_in && !state.info.user ? link('/login?next=' + encodeURIComponent(location.pathname), t('signIn')) : null);
  }
  if (parts[0] === 'edit' && parts[1]) { document.title = t('edit') + ' · kb'; return renderEdit(app, parts[1]); }
  if (parts[0] === 'new') document.title = t('file') + ' · kb';
  if (parts[0] === 'new' && !parts[1]) return renderNewChooser(app);
  if (parts[0] === 'new') {
    const ty = state.schema.types.find(x => x.type === parts[1]);
    if (ty) return renderForm(app, ty, null);
  }
  if (parts[0] === 'view' && parts[2]) return renderView(app, parts[1], parts[2]);
  if (parts[0] === 'users' && !parts[1]) return renderUsers(app);
  if (parts[0] === 'account' && !parts[1]) return renderAccount(app);
  document.title = t('notFound') + ' · kb';
  put(app, h('p', {class: 'error'}, t('notFound')));
}

async function start() {
  document.addEventListener('click', e => {
    const a = e.target.closest('a[data-nav]');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(a.getAttribute('href'));
  });
  window.addEventListener('popstate', route);
  // The skip link moves focus without touching the URL (a #hash would redraw the page).
  document.getElementById('skip').addEventListener('click', e => {
    e.preventDefault();
    (document.getElementById('results') || document.getElementById('app')).focus();
  });
  document.getElementById('lang').addEventListener('click', () => {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('kb.lang', state.lang);
    route();
  });
  document.getElementById('token').addEventListener('click', async () => {
    const v = prompt(t('tokenPrompt'), '');
    if (v === null) return;
    state.token = v.trim();
    sessionStorage.setItem('kb.token', state.token);
    await loadInfo();
    notice(state.token ? t('tokenSet') : '');
    route();
  });
  const langParam = new URLSearchParams(location.search).get('lang');
  if (langParam === 'en' || langParam === 'zh') state.lang = langParam;
  await loadInfo();
  await loadSchema();
  route();
}

// The sign-in page of a server with local accounts (kb user add).
function renderSignIn(app) {
  document.title = t('signIn') + ' · kb';
  const name = h('input', {id: 'signin-name', name: 'username', autocomplete: 'username', required: true});
  const password = h('input', {id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true});
  const err = h('p', {class: 'error', role: 'alert', id: 'signin-error'});
  const submit = h('button', {type: 'submit', id: 'signin-submit'}, t('signIn'));
  const form = h('form', {class: 'recordform signin', id: 'signin-form'},
    fieldRow('signin-name', t('userName'), true, name), fieldRow('signin-password', t('password'), true, password),
    h('div', {class: 'actions'}, submit), err);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    submit.disabled = true;
    const r = await api('/api/login', {method: 'POST', body: {name: name.value.trim(), password: password.value}});
    submit.disabled = false;
    if (!r.ok) {
      err.textContent = r.status === 401 ? t('badSignIn') : r.status === 429 ? t('tooManySignIns') : errText(r.data);
      password.value = '';
      password.focus();
      return;
    }
    await loadInfo();
    await loadSchema();
    notice(t('signedIn', r.data.user));
    const next = new URLSearchParams(location.search).get('next') || '/';
    navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/', true);
  });
  const why = (state.info.rights || []).length ? null : h('p', {}, t('signInToRead'));
  put(app, h('h1', {}, t('signIn')), why, form);
  name.focus();
}

// ---------------------------------------------------------------- accounts

function rightsText(rights) {
  return (rights || []).map(r => t('rightNames')[r] || r).join(' · ') || t('noGroups');
}

// A signed-in person's own password: the current one first, the new one twice.
function renderAccount(app) {
  document.title = t('changePassword') + ' · kb';
  const current = h('input', {id: 'pw-current', type: 'password', autocomplete: 'current-password', required: true});
  const fresh = h('input', {id: 'pw-new', type: 'password', autocomplete: 'new-password', minlength: 8, required: true});
  const again = h('input', {id: 'pw-again', type: 'password', autocomplete: 'new-password', minlength: 8, required: true});
  const err = h('p', {class: 'error', role: 'alert', id: 'pw-error'});
  const submit = h('button', {type: 'submit', id: 'pw-submit'}, t('changePassword'));
  const form = h('form', {class: 'recordform signin', id: 'pw-form'},
    fieldRow('pw-current', t('currentPassword'), true, current), fieldRow('pw-new', t('newPassword'), true, fresh),
    fieldRow('pw-again', t('passwordAgain'), true, again), h('div', {class: 'actions'}, submit), err);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    err.textContent = '';
    if (fresh.value !== again.value) { err.textContent = t('passwordsDiffer'); again.focus(); return; }
    submit.disabled = true;
    const r = await api('/api/password', {method: 'POST', body: {current: current.value, password: fresh.value}});
    submit.disabled = false;
    if (!r.ok) { err.textContent = errText(r.data); current.focus(); return; }
    form.reset();
    notice(t('passwordChanged'));
  });
  put(app, h('h1', {}, t('changePassword')), h('p', {class: 'muted'}, state.info.user), form);
  current.focus();
}

// The accounts of this server, for people with the users right (what `kb user` does).
async function renderUsers(app) {
  document.title = t('accounts') + ' · kb';
  put(app, h('h1', {}, t('accounts')), h('p', {class: 'muted'}, t('loading')));
  const r = await api('/api/users');
  if (!r.ok) return put(app, h('h1', {}, t('accounts')), h('p', {class: 'error', role: 'alert'}, errText(r.data)));
  const known = r.data.groups || [];
  // Checkboxes for the groups kb.yaml names; a text box when it names none.
  const groupPicker = (id, chosen) => known.length
    ? h('fieldset', {class: 'groups', id}, h('legend', {class: 'sr-only'}, t('groups')),
        ...known.map(g => h('label', {}, h('input', {type: 'checkbox', value: g, checked: chosen.includes(g)}), ' ' + g)))
    : h('input', {id, value: chosen.join(', '), 'aria-label': t('groups'), title: t('groupsHint')});
  const pickedGroups = el => el.tagName === 'FIELDSET'
    ? [...el.querySelectorAll('input:checked')].map(c => c.value)
    : el.value.split(',').map(x => x.trim()).filter(Boolean);
  const rows = r.data.users.map(u => {
    const picker = groupPicker('groups-' + u.name, u.groups);
    const newPassword = h('input', {type: 'password', autocomplete: 'new-password', minlength: 8, 'aria-label': t('newPassword'), placeholder: t('newPassword')});
    const rowError = h('div', {class: 'error', role: 'alert'});
    const send = async (method, body, done) => {
      rowError.textContent = '';
      const res = await api('/api/users/' + encodeURIComponent(u.name), {method, body});
      if (!res.ok) { rowError.textContent = errText(res.data); return; }
      notice(done);
      renderUsers(app);
    };
    return h('tr', {dataset: {user: u.name}},
      h('th', {scope: 'row'}, u.name, u.name === state.info.user ? h('small', {class: 'muted'}, ' ' + t('you')) : null),
      h('td', {}, picker, h('button', {type: 'button', class: 'secondary', onclick: () => send('PUT', {groups: pickedGroups(picker)}, t('groupsSaved', u.name))}, t('saveGroups'))),
      h('td', {class: 'rights'}, rightsText(u.rights)),
      h('td', {}, u.created || ''),
      h('td', {}, String(u.sessions || 0)),
      h('td', {class: 'account-actions'},
        h('span', {}, newPassword, h('button', {type: 'button', class: 'secondary', onclick: () => send('PUT', {password: newPassword.value}, t('passwordReset', u.name))}, t('resetPassword'))),
        u.name === state.info.user ? null : h('button', {type: 'button', class: 'danger', onclick: () => {
          if (confirm(t('removeAsk', u.name))) send('DELETE', {}, t('accountRemoved', u.name));
        }}, t('remove')),
        rowError));
  });
  const table = h('table', {class: 'accounts', id: 'accounts'},
    h('thead', {}, h('tr', {}, ...[t('userName'), t('groups'), t('rightsCol'), t('created'), t('sessionsCol'), ''].map(c => h('th', {scope: 'col'}, c)))),
    h('tbody', {}, ...rows));
  const name = h('input', {id: 'new-user-name', autocomplete: 'off', required: true});
  const password = h('input', {id: 'new-user-password', type: 'password', autocomplete: 'new-password', minlength: 8, required: true});
  const picker = groupPicker('new-user-groups', []);
  const err = h('p', {class: 'error', role: 'alert', id: 'new-user-error'});
  const form = h('form', {class: 'recordform', id: 'new-user'}, h('h2', {}, t('addAccount')),
    fieldRow('new-user-name', t('userName'), true, name), fieldRow('new-user-password', t('password'), true, password),
    h('div', {class: 'row'}, h('span', {class: 'label'}, t('groups')), picker), h('div', {class: 'actions'}, h('button', {type: 'submit'}, t('add'))), err);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const res = await api('/api/users', {method: 'POST', body: {name: name.value.trim(), password: password.value, groups: pickedGroups(picker)}});
    if (!res.ok) { err.textContent = errText(res.data); return; }
    notice(t('accountAdded', res.data.name));
    await loadInfo(); // the first account changes who may do what here
    route();
  });
  // Focusable, so a keyboard can scroll the table on a narrow screen.
  put(app, h('h1', {}, t('accounts')),
    rows.length ? h('div', {class: 'table-scroll', tabindex: '0', 'aria-label': t('accounts')}, table) : h('p', {class: 'muted'}, t('noAccounts')),
    rows.length ? null : h('p', {class: 'hint', id: 'first-account'}, t('firstAccount')), form);
}

// A server that lets strangers read nothing answers the schema only after a sign-in.
async function loadSchema() {
  const s = await api('/api/schema');
  state.schema = s.ok ? s.data : {types: [], views: [], sorts: [], common_fields: [], vocabularies: {}};
}

async function loadInfo() {
  const r = await api('/api/info');
  if (r.status === 401) { state.token = ''; sessionStorage.removeItem('kb.token'); return loadInfo(); }
  state.info = r.data;
}

start().catch(e => {
  document.getElementById('app').replaceChildren(h('p', {class: 'error'}, t('error') + ': ' + e.message));
});
