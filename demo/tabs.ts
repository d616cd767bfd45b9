import { broadcast, context } from '../src/index';

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const short = (id: string) => id.slice(0, 6);

// What every tab answers; `context().caller` is the member that called.
let count = 0;
const tabApi = {
  count: () => count,
  setCount(n: number) {
    count = n;
    render();
  },
  hello: () => `tab ${short(tabs.id)} says hi to ${short(context().caller ?? '?')}`,
  /** This tab's clock, ten times a second, for as long as the reader reads. */
  async *clock() {
    for (;;) {
      yield new Date().toLocaleTimeString('en-GB', { hour12: false }) + `.${Math.floor(Date.now() / 100) % 10}`;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  },
};
export type TabApi = typeof tabApi;

const tabs = broadcast<TabApi>('portwire-demo', { handlers: tabApi, heartbeat: 1000 });

function render(): void {
  byId('count').textContent = String(count);
  const members = byId('members');
  members.replaceChildren(
    ...[tabs.id, ...tabs.peers].map((id) => {
      const item = document.createElement('li');
      item.textContent = `tab ${short(id)}${id === tabs.id ? ' (this tab)' : ''}`;
      if (id === tabs.leader) item.append(Object.assign(document.createElement('span'), { className: 'badge', textContent: 'leader' }));
      item.dataset.id = id;
      return item;
    }),
  );
  const select = byId<HTMLSelectElement>('clock-of');
  const chosen = select.value;
  select.replaceChildren(...tabs.peers.map((id) => new Option(`tab ${short(id)}`, id, false, id === chosen)));
  byId<HTMLButtonElement>('watch').disabled = tabs.peers.length === 0 || watching !== undefined;
  const others = tabs.peers.length;
  byId('presence-status').textContent = `${others} other tab${others === 1 ? '' : 's'} here${tabs.isLeader ? '; this tab leads' : ''}.`;
}

tabs.on('join', render);
tabs.on('leave', render);
tabs.on('leader', render);

// A tab that joins takes the count from whoever answers first with the highest value.
async function catchUp(): Promise<void> {
  const answers = await tabs.callAll('count', [], { timeout: 2000 });
  for (const answer of answers) if (answer.status === 'fulfilled') count = Math.max(count, answer.value);
  render();
}
tabs.on('join', () => void catchUp());

byId('plus').onclick = () => {
  count++;
  tabs.notify('setCount', count);
  render();
};

byId('ask').onclick = async () => {
  const answers = await tabs.callAll('hello', [], { timeout: 2000 });
  byId('answers').replaceChildren(
    ...answers.map((answer) =>
      Object.assign(document.createElement('li'), {
        textContent: answer.status === 'fulfilled' ? answer.value : `tab ${short(answer.id)}: ${(answer.reason as Error).name}`,
      }),
    ),
  );
};

byId('claim').onclick = async () => {
  await tabs.whenLeader({ steal: true });
  render();
};

let watching: AbortController | undefined;
byId('watch').onclick = async () => {
  const id = byId<HTMLSelectElement>('clock-of').value;
  if (!id) return;
  watching = new AbortController();
  byId<HTMLButtonElement>('unwatch').disabled = false;
  render();
  byId('clock-status').textContent = `Reading tab ${short(id)}'s clock…`;
  try {
    for await (const time of tabs.peer(id).$call('clock', [], { signal: watching.signal })) byId('clock').textContent = time;
    byId('clock-status').textContent = 'The stream ended.';
  } catch (error) {
    const name = (error as Error).name;
    byId('clock-status').textContent = name === 'AbortError' ? 'Stopped: the other tab’s generator was told to stop.' : `Ended — ${name}: ${(error as Error).message}`;
  } finally {
    watching = undefined;
    byId<HTMLButtonElement>('unwatch').disabled = true;
    render();
  }
};
byId('unwatch').onclick = () => watching?.abort();

render();
