// The look: Mantine's blue at shades that pass WCAG AA contrast on white, and a darker "dimmed".
// Components are styled by name with plain objects (not Modal.extend…): importing a component
// here would pull it, and the overlays it needs, into every public page.
import { createTheme, type BadgeProps, type CSSVariablesResolver, type MantineTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  // Shade 6 on white is about 3.6:1; shade 8 is over 6:1.
  primaryShade: { light: 8, dark: 5 },
  defaultRadius: 'sm',
  focusRing: 'auto',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  components: {
    // Close buttons are icons only; give them a name screen readers can say.
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } },
    Notification: { defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } } },
    // Light tints with coloured text fall below 4.5:1; keep the tint, use the body text colour.
    Alert: { styles: { title: { color: 'var(--mantine-color-text)' } } },
    // The side navigation's active link: blue text on its blue tint falls below 4.5:1 (about
    // 4:1 even at blue.9 under the hover tint); keep the tint, use the body text colour.
    NavLink: { vars: () => ({ root: { '--nl-color': 'var(--mantine-color-text)' } }) },
    Badge: {
      vars: (_theme: MantineTheme, props: BadgeProps) =>
        props.variant === 'light' ? { root: { '--badge-color': 'var(--mantine-color-text)' } } : { root: {} },
    },
  },
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    // Mantine's default dimmed gray (gray.6) is below 4.5:1 on white.
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
    // Error text and required asterisks: red.6 is about 3.3:1 on white, red.9 over 5:1.
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});
