// Mantine's Anchor and NavLink as router links, with route-checked `to` and params.
import { forwardRef } from 'react';
import { Anchor, NavLink, type AnchorProps, type NavLinkProps } from '@mantine/core';
import { createLink, type LinkComponent } from '@tanstack/react-router';

type AnchorBase = Omit<AnchorProps, 'href'> & Omit<React.AnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'color'>;
const MantineAnchor = forwardRef<HTMLAnchorElement, AnchorBase>((props, ref) => <Anchor ref={ref} {...props} />);
MantineAnchor.displayName = 'MantineAnchor';
const RouterAnchor = createLink(MantineAnchor);
export const AnchorLink: LinkComponent<typeof MantineAnchor> = (props) => <RouterAnchor {...props} />;

type NavBase = Omit<NavLinkProps, 'href'> & Omit<React.AnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'color' | 'label'>;
const MantineNavLink = forwardRef<HTMLAnchorElement, NavBase>((props, ref) => <NavLink ref={ref} {...props} />);
MantineNavLink.displayName = 'MantineNavLink';
const RouterNavLink = createLink(MantineNavLink);
export const NavLinkLink: LinkComponent<typeof MantineNavLink> = (props) => <RouterNavLink {...props} />;
