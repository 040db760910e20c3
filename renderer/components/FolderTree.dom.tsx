/**
 * The reading view's side list (issue 14): "All accounts" (when there are several), then each account with its
 * "All folders" entry and its folders as a tree, with the count of messages and of unread ones. Plain buttons in nested lists: Tab reaches each, Enter opens it.
 */
import { useTranslation } from 'react-i18next';
import type { BrowseAccount } from '../../shared/api.std.ts';
import { folderTree, nodeName, type FolderNode } from '../lib/browse-tree.std.ts';
import { formatNumber } from '../lib/format.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';

/** Which list is shown: every folder (account null: every account), or one folder of one account. */
export interface Place {
  account: string | null;
  folder: string | null;
}

export function samePlace(a: Place, b: Place): boolean {
  return a.account === b.account && a.folder === b.folder;
}

function Counts({ messages, unread }: { messages: number; unread: number }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <span className="folder-counts">
      {unread > 0 && <strong className="folder-unread">{t('browse.unread', { count: unread, n: formatNumber(unread, lang) })}</strong>}{' '}
      <span className="muted">{t('browse.count', { count: messages, n: formatNumber(messages, lang) })}</span>
    </span>
  );
}

function Nodes({ nodes, account, place, onPick }: { nodes: FolderNode[]; account: string; place: Place; onPick: (p: Place) => void }) {
  const { t } = useTranslation();
  const roleName = (role: string) => t(`roles.${role}`);
  return (
    <ul>
      {nodes.map((n) => {
        const here: Place = { account, folder: n.path };
        const name = nodeName(n, roleName);
        return (
          <li key={`${n.path ?? ''}\u0000${n.name}`}>
            {n.path !== null ? (
              <button type="button" className="folder-item" aria-current={samePlace(place, here) ? 'true' : undefined} data-folder={n.path} onClick={() => onPick(here)}>
                <span className="folder-name">{name}</span> <Counts messages={n.messages} unread={n.unread} />
              </button>
            ) : (
              <span className="folder-item folder-level">{name}</span>
            )}
            {n.children.length > 0 && <Nodes nodes={n.children} account={account} place={place} onPick={onPick} />}
          </li>
        );
      })}
    </ul>
  );
}

export function FolderTree({ accounts, place, onPick }: { accounts: BrowseAccount[]; place: Place; onPick: (p: Place) => void }) {
  const { t } = useTranslation();
  const all: Place = { account: null, folder: null };
  // With one account, "every account" is that account's "all folders": one entry, not two that say the same.
  const several = accounts.length > 1;
  return (
    <nav className="folder-tree" aria-label={t('browse.foldersLabel')}>
      {several && (
        <button type="button" className="folder-item" aria-current={samePlace(place, all) ? 'true' : undefined} onClick={() => onPick(all)}>
          <span className="folder-name">{t('browse.allAccounts')}</span>
        </button>
      )}
      {accounts.map((a) => {
        const here: Place = { account: a.url, folder: null };
        const current = samePlace(place, here) || (!several && samePlace(place, all));
        return (
          <section key={a.url} className="folder-account">
            <h2 className="folder-account-name">{a.label}</h2>
            <ul>
              <li>
                {/* Every folder of the account, each message once however many folders hold it, newest first */}
                <button type="button" className="folder-item folder-all" aria-current={current ? 'true' : undefined} data-all-folders={a.url} onClick={() => onPick(here)}>
                  <span className="folder-name">{t('browse.allFolders')}</span> <Counts messages={a.messages} unread={a.unread} />
                </button>
              </li>
            </ul>
            <Nodes nodes={folderTree(a.folders)} account={a.url} place={place} onPick={onPick} />
          </section>
        );
      })}
    </nav>
  );
}
